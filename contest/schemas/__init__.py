"""Request bodies (pydantic models) and their validation, shared by the JSON API and the page
forms. Imports nothing from contest.views."""
