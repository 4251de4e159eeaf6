"""Operations on the data. They flush, never commit: the request handler commits once."""
