"""Reading the original MovieLens distributions (ml-1m and ml-100k) without the ORM."""
