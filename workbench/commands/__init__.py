"""One module per `workbench` sub-command: `configure(parser)` adds its flags, `run(args)` returns the exit code.

Commands only parse arguments, call `workbench.core` and print; they hold no logic of their own.
"""
