"""The Qt face of the workbench: windows, widgets and item models over `workbench.core` values.

Widgets turn forms into core values and show core values; they never parse, persist or send
on their own — they call core entry points, long ones as tasks on the qasync loop.
"""
