"""知识测试: a question bank, quiz pages that draw from it, attempts scored on the server,
and the office's analytics (participation, item statistics, campaign effect).

- ``models``: Question/Choice (the bank), QuizPage (public, routable), Attempt/Answer.
- ``draw``: which questions an attempt gets; ``scoring``: recording and scoring answers.
- ``stats``: Wilson and Newcombe intervals, Moodle-style item statistics, Cronbach's alpha,
  grouped participation and the campaign-effect comparison, all from SQL aggregates.
- ``exchange``: CSV/XLSX import and export of the bank; ``share``: the result image.
"""
