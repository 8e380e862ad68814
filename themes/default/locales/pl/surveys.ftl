## Course surveys (lms/src/surveys).

survey-list-title = Ankiety
survey-new = Nowa ankieta
survey-create = Utwórz ankietę
survey-edit = Edytuj
survey-edit-title = Edycja ankiety
survey-results = Wyniki
survey-results-title = Wyniki ankiety
survey-preview = Podgląd
survey-save = Zapisz
survey-cancel = Anuluj
survey-settings = Ustawienia ankiety
survey-questions = Pytania
survey-no-questions = Ankieta nie ma jeszcze pytań.
survey-none = W tym kursie nie ma teraz otwartych ankiet.
survey-none-staff = Ten kurs nie ma jeszcze ankiet.
survey-col-title = Tytuł
survey-col-state = Stan
survey-col-kind = Rodzaj
survey-col-questions = Pytania
survey-col-responses = Odpowiedzi
survey-col-actions = Działania
survey-col-option = Odpowiedź
survey-col-value = Ocena
survey-col-count = Liczba
survey-col-percent = Procent
survey-open = otwarta
survey-closed = zamknięta
survey-anonymous = anonimowa
survey-named = imienna
survey-open-long = Otwarta – uczestnicy kursu mogą ją wypełnić
survey-closed-long = Zamknięta – niewidoczna dla uczestników
survey-anonymous-long = Anonimowa – odpowiedzi nie są powiązane z osobą ani z czasem wypełnienia
survey-named-long = Imienna – przy odpowiedziach widać imię i nazwisko (lub pseudonim osoby bez konta) oraz czas
survey-field-title = Tytuł ankiety
survey-field-intro = Wprowadzenie
survey-field-intro-hint = Wyświetlane nad pytaniami: cel ankiety, czas wypełnienia, kto zobaczy odpowiedzi.
survey-field-anonymity = Rodzaj ankiety
survey-field-availability = Dostępność
survey-anonymity-locked = Ankieta ma już odpowiedzi, więc jej rodzaju nie można zmienić.
survey-field-kind = Typ pytania
survey-kind-single = Jednokrotny wybór
survey-kind-multiple = Wielokrotny wybór
survey-kind-scale = Skala 1–5
survey-kind-text = Odpowiedź tekstowa
survey-field-question = Treść pytania
survey-field-options = Odpowiedzi do wyboru
survey-field-options-hint = Tylko dla pytań wyboru: każda odpowiedź w osobnym wierszu, co najmniej dwie.
survey-field-scale = Opisy końców skali
survey-field-scale-hint = Tylko dla skali 1–5, np. „zdecydowanie nie” i „zdecydowanie tak”.
survey-field-low = Opis oceny 1
survey-field-high = Opis oceny 5
survey-field-required = Odpowiedź wymagana
survey-add-question = Dodaj pytanie
survey-question-edit = Edytuj pytanie
survey-question-edit-title = Edycja pytania
survey-question-delete = Usuń pytanie
survey-move-up = W górę
survey-move-down = W dół
survey-required = wymagane
survey-optional = nieobowiązkowe
survey-locked = Ankieta ma już odpowiedzi, więc pytań nie można zmieniać, dodawać, usuwać ani przestawiać – wyniki nie zmieniłyby się razem z nimi. Możesz zmienić tytuł, wprowadzenie i zamknąć ankietę. Aby zadać inne pytania, utwórz nową ankietę.
survey-delete = Usuń ankietę
survey-delete-warning = { $count ->
    [0] Ankieta zostanie usunięta razem z pytaniami.
    [one] Ankieta zostanie usunięta razem z pytaniami i { $count } odpowiedzią. Tego nie można cofnąć.
   *[other] Ankieta zostanie usunięta razem z pytaniami i odpowiedziami ({ $count }). Tego nie można cofnąć.
}
survey-response-count = { $count ->
    [one] { $count } odpowiedź
    [few] { $count } odpowiedzi
   *[many] { $count } odpowiedzi
}
survey-answered-count = { $count ->
    [one] odpowiedziała { $count } osoba
    [few] odpowiedziały { $count } osoby
   *[many] odpowiedziało { $count } osób
}
survey-answered-short = wypełniona
survey-anonymous-note = Ankieta jest anonimowa: Twoje odpowiedzi nie są zapisywane razem z Twoimi danymi ani z czasem wypełnienia. Zapamiętujemy tylko, że ją wypełniłeś(-aś), aby nie można było odpowiedzieć dwa razy.
survey-named-note = Ankieta jest imienna: prowadzący kurs zobaczą Twoje imię i nazwisko przy odpowiedziach.
survey-named-note-anon = Ankieta jest imienna: prowadzący kurs zobaczą Twoje odpowiedzi pod pseudonimem uczestnika bez konta, a jeśli później założysz konto – pod Twoim imieniem i nazwiskiem.
survey-required-note = Pytania oznaczone „wymagane” trzeba wypełnić. Ankietę można wysłać tylko raz.
survey-multiple-hint = Możesz zaznaczyć kilka odpowiedzi.
survey-scale-hint = Wybierz ocenę od 1 do 5.
survey-text-hint = Najwyżej { $max } znaków.
survey-submit = Wyślij odpowiedzi
survey-answered = Dziękujemy, ta ankieta została już przez Ciebie wypełniona.
survey-not-open = Ta ankieta jest zamknięta albo nie ma jeszcze pytań.
survey-back = Wróć do kursu
survey-csv = Pobierz wszystkie odpowiedzi (CSV)
survey-percent-note = Procenty liczone są od liczby osób, które odpowiedziały na dane pytanie; w pytaniach wielokrotnego wyboru mogą dawać w sumie więcej niż 100%.
survey-chart-title = Wykres odpowiedzi na pytanie { $number }
survey-chart-item = { $label }: { $count } ({ $percent }%)
survey-table-caption = Odpowiedzi na pytanie { $number }
survey-mean = średnia { $mean }
survey-mean-label = Średnia
survey-no-answers = Brak odpowiedzi.
survey-csv-response = Odpowiedź
survey-csv-time = Czas
survey-csv-person = Uczestnik

survey-err-title = Wpisz tytuł ankiety.
survey-err-title-long = Tytuł może mieć najwyżej 200 znaków.
survey-err-intro-long = Wprowadzenie może mieć najwyżej 4000 znaków.
survey-err-anonymity = Wybierz, czy ankieta jest anonimowa, czy imienna.
survey-err-availability = Wybierz, czy ankieta jest otwarta, czy zamknięta.
survey-err-kind = Wybierz typ pytania.
survey-err-question = Wpisz treść pytania.
survey-err-question-long = Treść pytania może mieć najwyżej 1000 znaków.
survey-err-options-few = Wpisz co najmniej dwie odpowiedzi do wyboru, każdą w osobnym wierszu.
survey-err-options-many = Pytanie może mieć najwyżej 50 odpowiedzi do wyboru.
survey-err-option-long = Każda odpowiedź do wyboru może mieć najwyżej 300 znaków.
survey-err-options-same = Odpowiedzi do wyboru nie mogą się powtarzać.
survey-err-label-long = Opis końca skali może mieć najwyżej 100 znaków.
survey-err-required = Odpowiedz na to pytanie.
survey-err-option = Wybierz jedną z podanych odpowiedzi.
survey-err-scale = Wybierz ocenę od 1 do 5.
survey-err-text-long = Odpowiedź może mieć najwyżej 4000 znaków.

flash-survey-created = Ankieta została utworzona. Dodaj pytania.
flash-survey-saved = Ustawienia ankiety zostały zapisane.
flash-survey-deleted = Ankieta została usunięta.
flash-survey-locked = Ankieta ma już odpowiedzi: jej pytań i rodzaju nie można zmienić.
flash-survey-question-added = Pytanie zostało dodane.
flash-survey-question-saved = Pytanie zostało zapisane.
flash-survey-question-deleted = Pytanie zostało usunięte.
flash-survey-question-moved = Kolejność pytań została zmieniona.
flash-survey-thanks = Dziękujemy, odpowiedzi zostały zapisane.
flash-survey-already = Ta ankieta została już przez Ciebie wypełniona – kolejne odpowiedzi nie są zapisywane.
flash-survey-closed = Ta ankieta jest zamknięta – odpowiedzi nie zostały zapisane.
flash-survey-changed = Pytania ankiety zmieniły się w trakcie wypełniania. Odpowiedzi nie zostały zapisane – wypełnij ankietę jeszcze raz.
