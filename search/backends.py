"""Asking the database's full-text index: one interface, a class for each database.

find(query, filters, offset, limit) gives the ids of the entries that match, best first:
ranked by where the words are (title and thesis weigh more than the rest) and how often,
a paper weighing twice a comment, then papers before comments, newer before older.
count(query, filters) says how many match. filters: {column: value} of FILTERS, to which
every query adds that the paper is already published.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Value, When
from django.utils import timezone

from .models import Entry

PAPER_WEIGHT = 2.0
FILTERS = ("kind", "edition_id", "stream_id")


def _visible(filters):
    return Entry.objects.filter(visible_from__lte=timezone.now(), **filters)


class PostgreSQLIndex:
    """The stored tsvector under its GIN index (django.contrib.postgres.search)."""

    @staticmethod
    def _tsquery(query):
        def phrase(terms):
            return SearchQuery(" ".join(terms), config="simple", search_type="phrase")

        found = None
        for terms in query.wanted:
            found = phrase(terms) if found is None else found & phrase(terms)
        for terms in query.excluded:
            found &= ~phrase(terms)
        return found

    def _matching(self, query, filters):
        return _visible(filters).filter(vector=self._tsquery(query))

    def count(self, query, filters):
        return self._matching(query, filters).count()

    def find(self, query, filters, offset, limit):
        tsquery = self._tsquery(query)
        weight = Case(
            When(kind=Entry.Kind.PAPER, then=Value(PAPER_WEIGHT)),
            default=Value(1.0),
            output_field=FloatField(),
        )
        paper_first = Case(When(kind=Entry.Kind.PAPER, then=Value(0)), default=Value(1))
        found = (
            self._matching(query, filters)
            .annotate(score=SearchRank(F("vector"), tsquery) * weight, paper_first=paper_first)
            .order_by("-score", "paper_first", "-dated", "-id")
        )
        return list(found.values_list("id", flat=True)[offset : offset + limit])


class SQLiteIndex:
    """The FTS5 table search_entry_index, ranked by its bm25()."""

    HEADING_WEIGHT = 4.0  # title and thesis against the rest (1.0)

    @staticmethod
    def _match(query):
        def phrase(terms):
            return '"' + " ".join(terms) + '"'  # terms are word characters only

        found = "(" + " AND ".join(phrase(terms) for terms in query.wanted) + ")"
        for terms in query.excluded:
            found = f"({found} NOT {phrase(terms)})"
        return found

    def _sql(self, select, query, filters, tail="", tail_params=()):
        where = "".join(f" AND search_entry.{column} = %s" for column in filters)
        sql = (
            f"SELECT {select} FROM search_entry_index"
            " JOIN search_entry ON search_entry.id = search_entry_index.rowid"
            " WHERE search_entry_index MATCH %s AND search_entry.visible_from <= %s"
            f"{where} {tail}"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        params = [self._match(query), now, *filters.values(), *tail_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self, query, filters):
        return self._sql("count(*)", query, filters)[0][0]

    def find(self, query, filters, offset, limit):
        score = (
            f"bm25(search_entry_index, {self.HEADING_WEIGHT}, 1.0)"
            f" * (CASE search_entry.kind WHEN 'paper' THEN {PAPER_WEIGHT} ELSE 1.0 END)"
        )
        rows = self._sql(
            "search_entry.id",
            query,
            filters,
            # bm25() is lower for a better match
            f"ORDER BY {score}, search_entry.kind = 'paper' DESC,"
            " search_entry.dated DESC, search_entry.id DESC LIMIT %s OFFSET %s",
            (limit, offset),
        )
        return [row[0] for row in rows]


def index():
    """The index of the database in use."""
    return PostgreSQLIndex() if connection.vendor == "postgresql" else SQLiteIndex()
