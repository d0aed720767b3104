"""Demo content for ``manage.py load_demo``: texts in ``content``, posters in ``images``,
page building in ``builder``; campaigns and quizzes in their own modules."""
