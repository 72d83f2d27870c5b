"""The Spark schemas of communique's output, translated from the store's Arrow layout.

`EVENT_SCHEMA` is `store.arrow.RECORD_SCHEMA` type for type (so Parquet written from it has the
store's column types); `DOCUMENTS_SCHEMA` the store's documents row without its text, with
`coded_at`, `cut_at` and the document's events; `STORED_EVENT_SCHEMA` a record with the columns
the store keeps beside it and the partition column.
"""

from __future__ import annotations

from typing import Any

from pyspark.sql import types as T

from communique.store.arrow import DOCUMENT_SCHEMA, RECORD_SCHEMA

# `event_month` of an event without a usable date (Hive would write __HIVE_DEFAULT_PARTITION__).
UNDATED = "undated"


def spark_type(kind: Any) -> T.DataType:
    """The Spark type of an Arrow type of the store's schema (strings, booleans, 32/64-bit
    integers, doubles, timestamps, lists and structs), so that the two layouts cannot drift
    apart."""
    import pyarrow as pa

    if pa.types.is_string(kind):
        return T.StringType()
    if pa.types.is_boolean(kind):
        return T.BooleanType()
    if pa.types.is_int32(kind):
        return T.IntegerType()
    if pa.types.is_int64(kind):
        return T.LongType()
    if pa.types.is_float64(kind):
        return T.DoubleType()
    if pa.types.is_timestamp(kind) and kind.tz is None:
        return T.TimestampNTZType()
    if pa.types.is_list(kind):
        return T.ArrayType(spark_type(kind.value_type))
    if pa.types.is_struct(kind):
        return T.StructType([T.StructField(f.name, spark_type(f.type)) for f in kind])
    raise TypeError(f"no Spark type for the Arrow type {kind} (extend spark_type)")


EVENT_SCHEMA: T.StructType = T.StructType(
    [T.StructField(f.name, spark_type(f.type)) for f in RECORD_SCHEMA]
)
# One row per input row. The text is left out: the input holds it already.
DOCUMENTS_SCHEMA: T.StructType = T.StructType(
    [
        *(T.StructField(f.name, spark_type(f.type)) for f in DOCUMENT_SCHEMA if f.name != "text"),
        T.StructField("coded_at", T.TimestampNTZType()),  # UTC, as the store's coded_at
        T.StructField("cut_at", T.IntegerType()),  # characters kept of a text over max_chars
        T.StructField("events", T.ArrayType(EVENT_SCHEMA)),
    ]
)
_DOCUMENT_COLUMNS = DOCUMENTS_SCHEMA.fieldNames()
# What `events_of` returns: the record, the store's columns beside it, the partition column.
STORED_EVENT_SCHEMA: T.StructType = T.StructType(
    [
        *EVENT_SCHEMA.fields,
        T.StructField("doc_key", T.StringType()),
        T.StructField("coder_version", T.StringType()),
        T.StructField("coded_at", T.TimestampNTZType()),
        T.StructField("event_month", T.StringType()),
    ]
)
