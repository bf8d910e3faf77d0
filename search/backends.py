"""Asking the database's full-text index: one interface, a class for each database.

find(query, filters, offset, limit) gives the ids of the entries that match, best first,
and how many match in all (a window count: the same pass over the matches), ranked by
where the words are (title and thesis weigh more than the rest) and how often, a paper
weighing twice a comment, then papers before comments, newer before older. count(query,
filters) says how many match, for a page past the last. filters: {column: value} of the
entry's kind, edition_id and stream_id, to which every query adds that the paper is already
published.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, FloatField, Value, When, Window
from django.utils import timezone

from .models import Entry

PAPER_WEIGHT = 2.0


def _ids_and_total(rows):
    rows = list(rows)
    return [row[0] for row in rows], (rows[0][1] if rows else 0)


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
        visible = Entry.objects.filter(visible_from__lte=timezone.now(), **filters)
        return visible.filter(vector=self._tsquery(query))

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
            .annotate(total=Window(Count("id")))
            .order_by("-score", "paper_first", "-dated", "-id")
        )
        return _ids_and_total(found.values_list("id", "total")[offset : offset + limit])


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

    def _matches(self, select, query, filters):
        """SQL and parameters of the matches' rows, with the columns asked for."""
        where = "".join(f" AND search_entry.{column} = %s" for column in filters)
        sql = (
            f"SELECT {select} FROM search_entry_index"
            " JOIN search_entry ON search_entry.id = search_entry_index.rowid"
            f" WHERE search_entry_index MATCH %s AND search_entry.visible_from <= %s{where}"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        return sql, [self._match(query), now, *filters.values()]

    @staticmethod
    def _rows(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self, query, filters):
        return self._rows(*self._matches("count(*)", query, filters))[0][0]

    def find(self, query, filters, offset, limit):
        # bm25() is lower for a better match, and cannot be read beside a window function:
        # the matches are scored first, then counted and ordered.
        score = (
            f"bm25(search_entry_index, {self.HEADING_WEIGHT}, 1.0)"
            f" * (CASE search_entry.kind WHEN 'paper' THEN {PAPER_WEIGHT} ELSE 1.0 END)"
        )
        columns = f"search_entry.id AS id, {score} AS score, search_entry.kind AS kind, "
        columns += "search_entry.dated AS dated"
        hits, params = self._matches(columns, query, filters)
        sql = (
            f"WITH hits AS ({hits}) SELECT id, count(*) OVER () FROM hits"
            " ORDER BY score, kind = 'paper' DESC, dated DESC, id DESC LIMIT %s OFFSET %s"
        )
        return _ids_and_total(self._rows(sql, [*params, limit, offset]))


def index():
    """The index of the database in use."""
    return PostgreSQLIndex() if connection.vendor == "postgresql" else SQLiteIndex()
