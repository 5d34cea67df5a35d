"""Files <-> domain objects: packs, interchange formats, framework definitions.

No database and no Qt here: this package reads and writes files and validates them,
so that everything it does can be checked before anything is stored.
"""
