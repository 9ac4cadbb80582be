"""Vacancies as data the hiring lead owns: each vacancy's versioned Тест 1, start links, admin and preview."""
