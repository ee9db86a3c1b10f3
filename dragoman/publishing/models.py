"""Publishing keeps nothing in the database: the page cache lives in the cache.

(An entry's footprint, kept here once, belongs to the blogs: ``dragoman.blogs.models``.)
"""
