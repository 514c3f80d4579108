"""Where the repository keeps what the tool writes beside the registry.

A plain constant module: commands read it when they register their options,
so it imports nothing.
"""

from __future__ import annotations

# The JSON Schemas `ticreg schema` writes, editors read (the
# ``yaml-language-server`` line of each record) and the website publishes.
JSON_SCHEMA_DIR = "schemas/json"

# application kind -> its commented template under templates/, which
# `ticreg new-application` copies (its --kind choices are these keys).
APPLICATION_TEMPLATES = {
    "certification": "application-certification.yml",
    "direct-certification": "application-direct-certification.yml",
    "change": "application-change.yml",
}
