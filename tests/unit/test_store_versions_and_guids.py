"""The store's schema version counts its migrations, and every guid is a version-4 UUID."""

from __future__ import annotations


def test_schema_version_is_the_number_of_migrations():
    from workbench import store
    from workbench.store import schema

    assert store.SCHEMA_VERSION == schema.MIGRATION_COUNT == len(store.migrations._migrations)


def test_new_guid_is_a_version_4_uuid_as_uuid_prints_it():
    import uuid

    from workbench.store import new_guid

    guids = {new_guid() for _ in range(1000)}
    assert len(guids) == 1000
    for guid in guids:
        parsed = uuid.UUID(guid)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122 and str(parsed) == guid
