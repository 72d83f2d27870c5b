"""The exceptions communique raises. Each message names the problem and the next step.

    CommuniqueError
     ├── ConfigError        a bad setting or config file
     ├── ModelError         the spaCy pipeline cannot be loaded or lacks a component
     ├── InputError         an input path or option that cannot be read at all (usage errors)
     ├── StoreError         the event database cannot be opened, is too new, or is not ours
     └── GoldFormatError    a gold file that does not follow eval/FORMAT.md

A single bad document is not an exception: it becomes a `Skip` with its reason, and the batch
goes on.
"""

from __future__ import annotations


class CommuniqueError(Exception):
    """Base of every error communique raises on purpose."""


class ConfigError(CommuniqueError):
    pass


class ModelError(CommuniqueError):
    pass


class InputError(CommuniqueError):
    pass


class StoreError(CommuniqueError):
    pass


class GoldFormatError(CommuniqueError):
    pass
