## Course surveys (lms/src/surveys).

survey-list-title = Surveys
survey-new = New survey
survey-create = Create survey
survey-edit = Edit
survey-edit-title = Edit survey
survey-results = Results
survey-results-title = Survey results
survey-preview = Preview
survey-save = Save
survey-cancel = Cancel
survey-settings = Survey settings
survey-questions = Questions
survey-no-questions = The survey has no questions yet.
survey-none = This course has no open surveys at the moment.
survey-none-staff = This course has no surveys yet.
survey-col-title = Title
survey-col-state = State
survey-col-kind = Kind
survey-col-questions = Questions
survey-col-responses = Responses
survey-col-actions = Actions
survey-col-option = Answer
survey-col-value = Rating
survey-col-count = Count
survey-col-percent = Percent
survey-open = open
survey-closed = closed
survey-anonymous = anonymous
survey-named = named
survey-open-long = Open – course participants can fill it in
survey-closed-long = Closed – hidden from participants
survey-anonymous-long = Anonymous – answers are linked neither to a person nor to the time they were given
survey-named-long = Named – answers show the person's name (or the pseudonym of someone without an account) and the time
survey-field-title = Survey title
survey-field-intro = Introduction
survey-field-intro-hint = Shown above the questions: the survey's purpose, how long it takes, who will see the answers.
survey-field-anonymity = Kind of survey
survey-field-availability = Availability
survey-anonymity-locked = The survey already has responses, so its kind cannot change.
survey-field-kind = Question type
survey-kind-single = Single choice
survey-kind-multiple = Multiple choice
survey-kind-scale = Scale 1–5
survey-kind-text = Free text
survey-field-question = Question
survey-field-options = Answers to choose from
survey-field-options-hint = Choice questions only: one answer per line, at least two.
survey-field-scale = Scale end labels
survey-field-scale-hint = Scale 1–5 only, e.g. “strongly disagree” and “strongly agree”.
survey-field-low = Label of rating 1
survey-field-high = Label of rating 5
survey-field-required = Answer required
survey-add-question = Add question
survey-question-edit = Edit question
survey-question-edit-title = Edit question
survey-question-delete = Delete question
survey-move-up = Move up
survey-move-down = Move down
survey-required = required
survey-optional = optional
survey-locked = The survey already has responses, so its questions cannot be changed, added, deleted or reordered – the results would not change with them. You can change the title and introduction and close the survey. To ask other questions, create a new survey.
survey-delete = Delete survey
survey-delete-warning = { $count ->
    [0] The survey will be deleted with its questions.
    [one] The survey will be deleted with its questions and { $count } response. This cannot be undone.
   *[other] The survey will be deleted with its questions and { $count } responses. This cannot be undone.
}
survey-response-count = { $count ->
    [one] { $count } response
   *[other] { $count } responses
}
survey-answered-count = { $count ->
    [one] { $count } person answered
   *[other] { $count } people answered
}
survey-answered-short = completed
survey-anonymous-note = This survey is anonymous: your answers are stored without your details and without the time. We only remember that you have answered, so that nobody can answer twice.
survey-named-note = This survey is named: the course staff will see your name with your answers.
survey-named-note-anon = This survey is named: the course staff will see your answers under the pseudonym of a participant without an account, and under your name if you later create an account.
survey-required-note = Questions marked “required” must be answered. The survey can be sent only once.
survey-multiple-hint = You can tick several answers.
survey-scale-hint = Choose a rating from 1 to 5.
survey-text-hint = At most { $max } characters.
survey-submit = Send answers
survey-answered = Thank you, you have already filled in this survey.
survey-not-open = This survey is closed or has no questions yet.
survey-back = Back to the course
survey-csv = Download all responses (CSV)
survey-percent-note = Percentages are of the people who answered each question; for multiple choice questions they may add up to more than 100%.
survey-chart-title = Chart of the answers to question { $number }
survey-chart-item = { $label }: { $count } ({ $percent }%)
survey-table-caption = Answers to question { $number }
survey-mean = mean { $mean }
survey-mean-label = Mean
survey-no-answers = No answers.
survey-csv-response = Response
survey-csv-time = Time
survey-csv-person = Participant

survey-err-title = Enter the survey's title.
survey-err-title-long = The title can have at most 200 characters.
survey-err-intro-long = The introduction can have at most 4000 characters.
survey-err-anonymity = Choose whether the survey is anonymous or named.
survey-err-availability = Choose whether the survey is open or closed.
survey-err-kind = Choose the question type.
survey-err-question = Enter the question.
survey-err-question-long = The question can have at most 1000 characters.
survey-err-options-few = Enter at least two answers to choose from, one per line.
survey-err-options-many = A question can have at most 50 answers to choose from.
survey-err-option-long = Each answer to choose from can have at most 300 characters.
survey-err-options-same = Answers to choose from must differ.
survey-err-label-long = A scale end label can have at most 100 characters.
survey-err-required = Answer this question.
survey-err-option = Choose one of the answers given.
survey-err-scale = Choose a rating from 1 to 5.
survey-err-text-long = The answer can have at most 4000 characters.

flash-survey-created = The survey has been created. Add its questions.
flash-survey-saved = The survey's settings have been saved.
flash-survey-deleted = The survey has been deleted.
flash-survey-locked = The survey already has responses: its questions and kind cannot change.
flash-survey-question-added = The question has been added.
flash-survey-question-saved = The question has been saved.
flash-survey-question-deleted = The question has been deleted.
flash-survey-question-moved = The order of the questions has been changed.
flash-survey-thanks = Thank you, your answers have been saved.
flash-survey-already = You have already filled in this survey – further answers are not saved.
flash-survey-closed = This survey is closed – your answers have not been saved.
flash-survey-changed = The survey's questions changed while you were answering. Your answers have not been saved – please fill in the survey again.
