"""``studyapp simulate``: does the planner beat what learners do without it?

The experiment and its report (:mod:`.experiment`), the simulated learner with the record
the app would hold (:mod:`.learner`) and the study policies compared (:mod:`.policies`).
The model and its sources: ``docs/learning-model.md``.
"""
