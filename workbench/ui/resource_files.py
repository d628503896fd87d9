"""Where the bundled resources (icons, the style sheet) are on disk.

The window reads them as files (style sheets and QIcon take paths), so it asks the import
system where the `workbench.resources` package lives instead of going through
`importlib.resources`: that machinery (and `zipfile` below it) costs ~5 ms of imports before
the first paint. The package is a folder on disk wherever the window runs (a wheel, an editable
install, the one-folder build, whose frozen importer puts it under `_internal/workbench/resources`);
should the import system ever describe it otherwise, `importlib.resources` answers as before.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.util import find_spec


@lru_cache(maxsize=None)
def resources_dir() -> str:
    """The folder of `workbench.resources`, with `/` separators (style sheets want them)."""
    spec = find_spec("workbench.resources")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if len(locations) == 1:
        folder = locations[0]
    else:
        from importlib import resources

        folder = str(resources.files("workbench.resources"))
    return folder.replace("\\", "/")
