"""Collections from other tools: curl commands, Postman and Insomnia exports in, Postman out.

One importer per source format (`curl`, `postman`, `insomnia`), each producing the same
`Imported` value (`result.py`); `detect.import_file` recognises a file's format and writes it
into a workspace through `workspace/storage` (`writer.py`). `postman_export` goes the other way.
"""
