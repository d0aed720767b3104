"""Hand-written SQL on the hottest paths, with the ORM's conversions of what comes back.

Building a queryset's SQL costs more than running it when the query is a one-row lookup on
an index: on a quiz answer (the publicity-month peak) the ORM's compiling and per-row model
building were a quarter of the request. Where a few statements are written by hand instead,
``select`` gives back values as the ORM would (a datetime, not SQLite's text; a bool, not
0/1), and ``instance`` builds a model from them the way a queryset does.
"""

from functools import cache

from django.db import connections


@cache
def _converters(vendor, alias, fields):
    connection = connections[alias]
    found = []
    for index, field in enumerate(fields):
        column = field.get_col(field.model._meta.db_table)
        funcs = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if funcs:
            found.append((index, column, funcs))
    return tuple(found)


def select(sql, params, fields, using="default"):
    """Return the rows of ``sql`` as lists, each value converted for the model field in the
    same position of ``fields`` (a tuple of fields, one per selected column)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    converters = _converters(connection.vendor, using, fields)
    if not converters:
        return [list(row) for row in rows]
    converted = []
    for row in rows:
        row = list(row)
        for index, column, funcs in converters:
            value = row[index]
            for func in funcs:
                value = func(value, column, connection)
            row[index] = value
        converted.append(row)
    return converted


def columns(model, alias, using="default"):
    """Return (the model's concrete fields, their columns as ``alias."column"`` SQL) for a
    SELECT that ``instance`` can turn back into models."""
    quote = connections[using].ops.quote_name
    fields = tuple(model._meta.concrete_fields)
    return fields, ", ".join(f"{alias}.{quote(f.column)}" for f in fields)


def instance(model, values, using="default"):
    """A ``model`` built from ``values`` (one per concrete field, in order), as loaded by a
    queryset: saved state, database alias and all."""
    return model.from_db(using, None, values)
