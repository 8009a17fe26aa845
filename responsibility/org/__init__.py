"""The organisation: bureau, sections, schools, posts, persons, grids; queries and import/export."""
