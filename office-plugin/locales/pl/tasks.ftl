# Virtual office: tasks
tasks-title = Zadania
tasks-new = Nowe zadanie
tasks-new-title = Nowe zadanie
tasks-edit-title = Edycja zadania
tasks-views = Widoki zadań
tasks-view-mine = Moje zadania
tasks-view-delegated = Zlecone przeze mnie
tasks-view-department = Tablica działu
tasks-view-overdue = Zaległe
tasks-view-all = Wszystkie zadania urzędu
tasks-department = Dział
tasks-board-of = Tablica działu: { $name }
tasks-no-departments = Urząd nie ma jeszcze działów.
tasks-column-empty = Brak zadań w tej kolumnie.
tasks-count = { $count ->
    [one] { $count } zadanie
    [few] { $count } zadania
   *[other] { $count } zadań
}
tasks-empty = Brak zadań w tym widoku.
tasks-filter-status = Pokaż zadania o stanie
tasks-filter-open = otwarte (niezakończone)
tasks-filter-all = wszystkie
tasks-filter-apply = Pokaż
tasks-field-title = Tytuł
tasks-field-description = Opis
tasks-field-assignee = Wykonawca
tasks-field-priority = Priorytet
tasks-field-status = Stan
tasks-field-due = Termin
tasks-field-due-date = Data terminu
tasks-field-due-time = Godzina terminu
tasks-field-repeat = Powtarzanie
tasks-field-repeat-freq = Powtarzaj
tasks-field-interval = Co ile (dni, tygodni lub miesięcy)
tasks-field-creator = Utworzone przez
tasks-field-delegated-by = Zlecone przez
tasks-repeat-hint = Po zamknięciu zadania powtarzanego powstaje jego następne wystąpienie. Powtarzanie wymaga terminu.
tasks-repeat-none = nie powtarzaj
tasks-repeat-daily = codziennie
tasks-repeat-weekly = co tydzień
tasks-repeat-monthly = co miesiąc
tasks-repeat-every-days = { $count ->
    [one] codziennie
    [few] co { $count } dni
   *[other] co { $count } dni
}
tasks-repeat-every-weeks = { $count ->
    [one] co tydzień
    [few] co { $count } tygodnie
   *[other] co { $count } tygodni
}
tasks-repeat-every-months = { $count ->
    [one] co miesiąc
    [few] co { $count } miesiące
   *[other] co { $count } miesięcy
}
tasks-status-new = nowe
tasks-status-in_progress = w toku
tasks-status-waiting = oczekuje
tasks-status-done = wykonane
tasks-status-cancelled = anulowane
tasks-status-change = Zmień stan
tasks-priority-low = niski
tasks-priority-normal = zwykły
tasks-priority-high = wysoki
tasks-priority-urgent = pilny
tasks-overdue-mark = po terminie
tasks-none = brak
tasks-nobody = nikt
tasks-choose = wybierz
tasks-department-named = dział { $name }
tasks-create = Utwórz zadanie
tasks-save = Zapisz zmiany
tasks-cancel = Anuluj
tasks-back = Wróć do zadań
tasks-edit = Edytuj zadanie
tasks-actions = Działania
tasks-delegate = Przekaż zadanie
tasks-delegate-to = Przekaż do
tasks-delegate-note = Uwaga dla wykonawcy
tasks-delegate-submit = Przekaż
tasks-checklist = Lista kontrolna
tasks-checklist-empty = Lista kontrolna jest pusta.
tasks-item-done = zrobione
tasks-item-open = do zrobienia
tasks-item-tick = Oznacz jako zrobione
tasks-item-untick = Oznacz jako niezrobione
tasks-item-assigned-to = przydzielone: { $name }
tasks-item-assignee = Osoba odpowiedzialna
tasks-item-assign = Przydziel
tasks-item-add = Dodaj punkt listy
tasks-item-text = Treść punktu
tasks-item-add-submit = Dodaj punkt
tasks-attachments = Załączniki
tasks-attachments-empty = Brak załączników.
tasks-attachment-file = Plik
tasks-attachment-hint = Najwyżej { $mb } MB.
tasks-attachment-submit = Dołącz plik
tasks-size-kb = { $kb } KB
tasks-watchers = Obserwujący
tasks-watchers-empty = Nikt nie obserwuje tego zadania.
tasks-watch = Obserwuj zadanie
tasks-unwatch = Przestań obserwować
tasks-watcher-add = Dodaj obserwującego
tasks-watcher-add-submit = Dodaj
tasks-watcher-remove = Usuń z obserwujących
tasks-comments = Komentarze
tasks-comments-empty = Brak komentarzy.
tasks-comment = Twój komentarz
tasks-comment-submit = Dodaj komentarz
tasks-history = Historia
tasks-history-note = uwaga
tasks-history-created = { $actor } utworzył(a) zadanie.
tasks-history-assigned = { $actor } przydzielił(a) zadanie: { $to }.
tasks-history-delegated = { $actor } przekazał(a) zadanie od: { $from }, do: { $to }.
tasks-history-due = { $actor } zmienił(a) termin z { $from } na { $to }.
tasks-history-priority = { $actor } zmienił(a) priorytet z „{ $from }” na „{ $to }”.
tasks-history-status = { $actor } zmienił(a) stan z „{ $from }” na „{ $to }”.
tasks-history-edited = { $actor } zmienił(a) tytuł lub opis.
tasks-history-recurrence = { $actor } ustawił(a) powtarzanie: { $to }.
tasks-history-recurred = Utworzono kolejne wystąpienie zadania powtarzanego, z terminem { $due }.
tasks-history-checklist-added = { $actor } dodał(a) punkt listy „{ $item }”.
tasks-history-checklist-done = { $actor } oznaczył(a) jako zrobione: „{ $item }”.
tasks-history-checklist-undone = { $actor } oznaczył(a) jako niezrobione: „{ $item }”.
tasks-history-checklist-assigned = { $actor } przydzielił(a) punkt „{ $item }”: { $to }.
tasks-history-attachment = { $actor } dołączył(a) plik „{ $name }”.
tasks-history-watcher-added = { $actor } dodał(a) obserwującego: { $name }.
tasks-history-watcher-removed = { $actor } usunął(-ęła) obserwującego: { $name }.
tasks-history-other = { $actor } zmienił(a) zadanie.
tasks-error-title = Podaj tytuł zadania.
tasks-error-title-long = Tytuł może mieć najwyżej 200 znaków.
tasks-error-text-long = Tekst jest za długi (najwyżej 10 000 znaków).
tasks-error-priority = Wybierz priorytet z listy.
tasks-error-due = Podaj poprawną datę (RRRR-MM-DD) i godzinę (GG:MM).
tasks-error-due-time-without-date = Godzina terminu wymaga daty.
tasks-error-repeat = Wybierz sposób powtarzania z listy.
tasks-error-repeat-needs-due = Zadanie powtarzane musi mieć termin.
tasks-error-interval = Podaj liczbę od 1 do 366.
tasks-error-assignee = Wybierz osobę lub dział tego urzędu.
tasks-error-item = Podaj treść punktu (najwyżej 200 znaków).
tasks-error-comment = Wpisz treść komentarza (najwyżej 10 000 znaków).
tasks-error-no-file = Wybierz plik do dołączenia.
tasks-error-file-too-large = Plik jest za duży: załącznik może mieć najwyżej 10 MB.
flash-tasks-created = Zadanie zostało utworzone.
flash-tasks-saved = Zmiany zostały zapisane.
flash-tasks-status = Stan zadania został zmieniony.
flash-tasks-delegated = Zadanie zostało przekazane.
flash-tasks-item-added = Punkt został dodany do listy.
flash-tasks-item-saved = Lista kontrolna została zapisana.
flash-tasks-commented = Komentarz został dodany.
flash-tasks-attached = Plik został dołączony.
flash-tasks-watchers = Lista obserwujących została zmieniona.
tasks-todo-title = Moje notatki
tasks-todo-lead = Prywatna lista rzeczy do zrobienia. Widzisz ją tylko ty.
tasks-todo-add = Dodaj notatkę
tasks-todo-text = Treść
tasks-todo-date = Data
tasks-todo-add-submit = Dodaj
tasks-todo-list = Lista
tasks-todo-empty = Nie masz jeszcze notatek.
tasks-todo-due = na { $date }
tasks-todo-up = Przesuń wyżej
tasks-todo-down = Przesuń niżej
tasks-todo-delete = Usuń
tasks-todo-edit = Edytuj
tasks-todo-save = Zapisz
tasks-todo-error-text = Wpisz treść notatki (najwyżej 500 znaków).
tasks-todo-error-date = Podaj poprawną datę (RRRR-MM-DD).
flash-tasks-todo-added = Notatka została dodana.
flash-tasks-todo-saved = Notatka została zapisana.
