from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 100); a page past the end is a 404."""

    page_size_query_param = "page_size"
    max_page_size = 100
