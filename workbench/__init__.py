"""API Workbench: a desktop workbench for OData and OpenAPI services."""

__version__ = "0.1.0"
