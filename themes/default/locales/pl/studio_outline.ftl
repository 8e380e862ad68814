## Studio: the outline editor (sections, subsections, units)

studio-outline-title = Struktura kursu
studio-outline-lead = Rozdziały dzielą się na podrozdziały, a podrozdziały na jednostki z treścią. Zmiany trafiają do wersji roboczej: uczestnicy widzą opublikowaną wersję kursu, dopóki nie opublikujesz zmian.
studio-outline-keyboard-hint = Kolejność zmienisz przyciskami „Przesuń w górę” i „Przesuń w dół” (na początku lub końcu przechodzą do sąsiedniego rozdziału lub podrozdziału) albo przez „Przenieś do…”.
studio-outline-drag-hint = Myszą możesz też przeciągać elementy za uchwyt ☰ po prawej stronie.
studio-outline-drag = Przeciągnij, aby przenieść
studio-outline-error-network = Nie udało się zapisać zmiany. Spróbuj ponownie.
studio-outline-changes = { $count ->
    [one] Wersja robocza ma 1 nieopublikowaną zmianę.
    [few] Wersja robocza ma { $count } nieopublikowane zmiany.
   *[other] Wersja robocza ma { $count } nieopublikowanych zmian.
}
studio-outline-no-changes = Brak nieopublikowanych zmian: uczestnicy widzą kurs taki jak tutaj.
studio-outline-publish-link = Niepublikowane zmiany i publikowanie
studio-outline-back = Wróć do strony kursu
studio-outline-back-to-outline = Wróć do struktury kursu
studio-outline-chapters = Rozdziały kursu
studio-outline-sequentials-in = Podrozdziały w „{ $name }”
studio-outline-verticals-in = Jednostki w „{ $name }”
studio-outline-kind-chapter = Rozdział { $position }
studio-outline-kind-sequential = Podrozdział { $position }
studio-outline-kind-vertical = Jednostka { $position }
studio-outline-no-chapters = Kurs nie ma jeszcze rozdziałów. Dodaj pierwszy poniżej.
studio-outline-no-sequentials = Ten rozdział nie ma jeszcze podrozdziałów.
studio-outline-no-verticals = Ten podrozdział nie ma jeszcze jednostek.
studio-outline-unnamed = { $kind ->
    [chapter] (rozdział bez nazwy)
    [sequential] (podrozdział bez nazwy)
   *[other] (jednostka bez nazwy)
}

studio-outline-mark-added = Nowy, nieopublikowany
studio-outline-mark-moved = Przeniesiony, nieopublikowany
studio-outline-mark-changed = Zmieniony, nieopublikowany
studio-outline-mark-inner = Zawiera nieopublikowane zmiany
studio-outline-graded = Oceniany: { $format }
studio-outline-not-graded = Nieoceniany
studio-outline-due = termin { $date }
studio-outline-time-limit = limit czasu { $minutes } min
studio-outline-release = udostępniany od { $date }
studio-outline-release-chapter = Udostępniany od { $date }
studio-outline-components = { $count ->
    [one] 1 element
    [few] { $count } elementy
   *[other] { $count } elementów
}

studio-outline-quoted = „{ $name }”
studio-outline-for = dla „{ $name }”
studio-outline-in = w „{ $name }”
studio-outline-up = Przesuń w górę
studio-outline-down = Przesuń w dół
studio-outline-rename = Zmień nazwę
studio-outline-new-name = Nowa nazwa
studio-outline-save-name = Zapisz nazwę
studio-outline-move-to = Przenieś do…
studio-outline-target-chapter = Rozdział docelowy
studio-outline-target-sequential = Podrozdział docelowy
studio-outline-move-to-hint = Element trafi na koniec wybranego miejsca.
studio-outline-move = Przenieś
studio-outline-settings = Ustawienia
studio-outline-delete = Usuń
studio-outline-new-chapter = Nazwa nowego rozdziału
studio-outline-new-sequential = Nazwa nowego podrozdziału
studio-outline-new-vertical = Nazwa nowej jednostki
studio-outline-add-chapter-heading = Dodaj rozdział
studio-outline-add-chapter = Dodaj rozdział
studio-outline-add-sequential = Dodaj podrozdział
studio-outline-add-vertical = Dodaj jednostkę

studio-outline-done-added = { $kind ->
    [chapter] Dodano rozdział „{ $name }”.
    [sequential] Dodano podrozdział „{ $name }”.
   *[other] Dodano jednostkę „{ $name }”.
}
studio-outline-done-renamed = Zmieniono nazwę na „{ $name }”.
studio-outline-done-settings = Zapisano ustawienia „{ $name }”.
studio-outline-done-moved = „{ $name }” jest teraz { $position }. z { $count } w „{ $parent }”.
studio-outline-done-first = „{ $name }” jest już na samej górze, wyżej przesunąć się nie da.
studio-outline-done-last = „{ $name }” jest już na samym dole, niżej przesunąć się nie da.
studio-outline-done-deleted = { $kind ->
    [chapter] Usunięto rozdział z wersji roboczej. Uczestnicy przestaną go widzieć po opublikowaniu zmian.
    [sequential] Usunięto podrozdział z wersji roboczej. Uczestnicy przestaną go widzieć po opublikowaniu zmian.
   *[other] Usunięto jednostkę z wersji roboczej. Uczestnicy przestaną ją widzieć po opublikowaniu zmian.
}

studio-outline-error-name-missing = Wpisz nazwę.
studio-outline-error-name-long = Nazwa może mieć najwyżej 200 znaków.
studio-outline-error-not-allowed = Tego elementu nie można tam umieścić.
studio-outline-error-cycle = Elementu nie można przenieść do jego własnego wnętrza.
studio-outline-error-no-target = Wybranego miejsca już nie ma. Odśwież stronę i wybierz ponownie.
studio-outline-error-date = Wpisz datę i godzinę, np. 2026-12-12 23:59.
studio-outline-error-gap = Tej godziny nie ma w Polsce z powodu zmiany czasu. Wybierz inną godzinę.
studio-outline-error-format-unknown = Wybierz rodzaj zadania z listy (rodzaje określa zasada oceniania kursu).
studio-outline-error-format-missing = Wybierz rodzaj zadania, według którego podrozdział jest oceniany.
studio-outline-error-graded-missing = Zaznacz „Podrozdział jest oceniany” albo wybierz „Nieoceniany” jako rodzaj zadania.
studio-outline-error-time-limit = Podaj limit czasu w pełnych minutach, od 1 do 10080, albo zostaw pole puste.

studio-outline-delete-title = { $kind ->
    [chapter] Usunąć rozdział?
    [sequential] Usunąć podrozdział?
   *[other] Usunąć jednostkę?
}
studio-outline-delete-lead = { $kind ->
    [chapter] Rozdział „{ $name }” zostanie usunięty z kursu „{ $course }” razem z całą zawartością.
    [sequential] Podrozdział „{ $name }” zostanie usunięty z kursu „{ $course }” razem z całą zawartością.
   *[other] Jednostka „{ $name }” zostanie usunięta z kursu „{ $course }” razem z całą zawartością.
}
studio-outline-delete-inside = Usunięte zostaną też:
studio-outline-delete-empty = W środku nie ma innych elementów.
studio-outline-count-sequentials = { $count ->
    [one] 1 podrozdział
    [few] { $count } podrozdziały
   *[other] { $count } podrozdziałów
}
studio-outline-count-verticals = { $count ->
    [one] 1 jednostka
    [few] { $count } jednostki
   *[other] { $count } jednostek
}
studio-outline-count-components = { $count ->
    [one] 1 element treści (tekst, zadanie, film…)
    [few] { $count } elementy treści (teksty, zadania, filmy…)
   *[other] { $count } elementów treści (tekstów, zadań, filmów…)
}
studio-outline-delete-draft-note = Usunięcie jest zmianą w wersji roboczej: uczestnicy nadal widzą opublikowaną treść, dopóki nie opublikujesz zmian. Do tego czasu możesz też odrzucić wersję roboczą.
studio-outline-delete-unpublished-note = Ten element nie był jeszcze opublikowany, więc uczestnicy go nie widzą.
studio-outline-delete-confirm = { $kind ->
    [chapter] Tak, usuń rozdział
    [sequential] Tak, usuń podrozdział
   *[other] Tak, usuń jednostkę
}
studio-outline-delete-cancel = Nie, wróć do struktury kursu

studio-outline-settings-title = { $kind ->
    [chapter] Ustawienia rozdziału
   *[other] Ustawienia podrozdziału
}
studio-outline-settings-lead = Kurs „{ $course }”. Daty podawaj w czasie polskim. Zmiany trafiają do wersji roboczej.
studio-outline-settings-name = Nazwa
studio-outline-settings-grading = Ocenianie
studio-outline-settings-graded = Podrozdział jest oceniany
studio-outline-settings-format = Rodzaj zadania
studio-outline-settings-format-hint = Rodzaje zadań i ich wagi określa zasada oceniania kursu.
studio-outline-settings-not-graded = Nieoceniany
studio-outline-settings-due = Termin oddania
studio-outline-settings-due-hint = Data i godzina, np. 2026-12-12 23:59. Zostaw puste, jeśli nie ma terminu.
studio-outline-settings-timing = Czas na rozwiązanie
studio-outline-settings-time-limit = Limit czasu w minutach
studio-outline-settings-time-limit-hint = Uczestnik ma tyle minut od rozpoczęcia. Zostaw puste, jeśli czas nie jest ograniczony.
studio-outline-settings-release = Udostępnienie
studio-outline-settings-start = Udostępnij od
studio-outline-settings-start-hint-chapter = Data i godzina, od której uczestnicy widzą rozdział. Zostaw puste, aby był dostępny od początku kursu.
studio-outline-settings-start-hint-sequential = Data i godzina, od której uczestnicy widzą podrozdział. Zostaw puste, aby obowiązywała data rozdziału.
studio-outline-settings-draft-note = Ustawienia zapisują się w wersji roboczej; uczestnicy zobaczą je po opublikowaniu zmian.
studio-outline-settings-save = Zapisz ustawienia
