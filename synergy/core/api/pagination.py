from rest_framework.pagination import PageNumberPagination as _Base


class PageNumberPagination(_Base):
    """count / next / previous / results; clients may ask for up to 100 per page."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
