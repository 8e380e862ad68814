# Timed subsections (exams) and results pages.
exam-started = Test rozpoczęty. Czas biegnie.
exam-finished = Test zakończony. Twoje odpowiedzi zostały zapisane.
exam-intro-heading = Test z limitem czasu
exam-intro-limit = Na rozwiązanie masz { $minutes ->
    [one] { $minutes } minutę
    [few] { $minutes } minuty
   *[many] { $minutes } minut
}.
exam-intro-clock = Czas zaczyna biec po naciśnięciu przycisku „Rozpocznij test” i nie zatrzymuje się, gdy zamkniesz stronę.
exam-intro-end = Gdy czas minie, odpowiedzi nie będą już przyjmowane. Ocenione zostaną odpowiedzi sprawdzone do tej chwili.
exam-intro-due = Termin: { $date } (czas polski).
exam-intro-due-cuts = Termin minie przed końcem limitu czasu, więc test zakończy się w terminie.
exam-start = Rozpocznij test
exam-back-outline = Wróć do planu kursu
exam-missed = Termin tego testu minął i nie można go już rozpocząć.
exam-over = Test zakończył się: { $date } (czas polski). Odpowiedzi nie są już przyjmowane.
exam-results-link = Zobacz wyniki
exam-timer-heading = Test z limitem czasu: { $title }
exam-timer-left = Pozostały czas:
exam-ends-at = Czas na rozwiązanie mija o { $time } ({ $date }, czas polski).
exam-announce-10 = Zostało 10 minut.
exam-announce-5 = Zostało 5 minut.
exam-announce-1 = Została 1 minuta.
exam-announce-0 = Czas minął. Odpowiedzi nie są już przyjmowane.
exam-finish-now = Zakończ test teraz
exam-finish-title = Zakończyć test
exam-finish-explain = Zostało Ci { $remaining } (do { $date }, czas polski). Po zakończeniu nie można już zmienić ani wysłać odpowiedzi; ocenione zostaną odpowiedzi sprawdzone do tej chwili.
exam-finish-confirm = Tak, zakończ test
exam-finish-cancel = Nie, wróć do testu
exam-problem-not-started = Najpierw rozpocznij test: odpowiedzi są przyjmowane dopiero po jego rozpoczęciu.
exam-problem-over = Czas na ten test minął albo test został zakończony. Odpowiedź nie została przyjęta.
outline-time-limit = Limit czasu: { $minutes } min
outline-results = Wyniki
results-title = Wyniki
results-unavailable-until = Wyniki będą dostępne po terminie: { $date } (czas polski).
results-unavailable-timed = Wyniki zobaczysz po zakończeniu testu.
results-unavailable = Wyniki nie są jeszcze dostępne.
results-staff-any-time = Jako prowadzący widzisz wyniki przed terminem.
results-staff-learner = Wyniki uczestnika { $learner }.
results-attempt-started = Rozpoczęto: { $date }
results-attempt-over = zakończono: { $date }
results-no-problems = W tej części kursu nie ma zadań.
results-summary = Podsumowanie: { $total } pkt
results-col-problem = Zadanie
results-col-verdict = Ocena
results-col-points = Punkty
results-verdict-correct = Poprawna odpowiedź
results-verdict-partial = Częściowo poprawna odpowiedź
results-verdict-incorrect = Niepoprawna odpowiedź
results-verdict-unanswered = Brak odpowiedzi
results-verdict-hidden = Autor kursu nie pokazuje poprawności
results-answers = Twoja odpowiedź
results-answers-with-key = Twoja odpowiedź i poprawne odpowiedzi
results-back-progress = Wróć do strony postępu
