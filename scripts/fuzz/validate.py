"""Checks the served OpenAPI document: it parses as YAML (PyYAML, a real parser), validates as
OpenAPI 3 (openapi-spec-validator), and has no mapping key that is prose -- the trace of an
unquoted comma in a flow mapping, which YAML reads as a new key with a null value.

Usage: validate.py URL_OR_FILE
"""
import sys
import urllib.request

import yaml
from openapi_spec_validator import validate


def load(location):
    if location.startswith(("http://", "https://")):
        with urllib.request.urlopen(location, timeout=30) as response:
            return response.read().decode("utf-8")
    with open(location, encoding="utf-8") as handle:
        return handle.read()


def prose_keys(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and " " in key and value is None:
                yield f"{path}/{key}"
            yield from prose_keys(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from prose_keys(value, f"{path}[{index}]")


def main():
    document = yaml.safe_load(load(sys.argv[1]))
    validate(document)
    suspicious = list(prose_keys(document))
    if suspicious:
        print("openapi: keys that look like prose (unquoted ',' or ': '?):", *suspicious, sep="\n  ")
        sys.exit(1)
    operations = sum(1 for item in document["paths"].values() for method in item if method != "parameters")
    print(f"openapi: valid YAML and OpenAPI {document['openapi']}: {len(document['paths'])} paths, {operations} operations")


if __name__ == "__main__":
    main()
