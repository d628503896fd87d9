"""Icons, the default theme and the sample workspace, loaded with importlib.resources as `workbench.resources`."""
