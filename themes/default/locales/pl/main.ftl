## Układ strony
site-tagline = System Zdalnej Pracy oraz Nauki
skip-to-content = Przejdź do treści
nav-main-label = Menu główne
nav-home = Strona główna
nav-organisations = Moje urzędy
nav-admin = Administracja
nav-studio = Studio
lang-switch-label = zmień język strony
login = Zaloguj się
logout = Wyloguj się
register = Załóż konto
accessibility-statement = Deklaracja dostępności
terms-title = Regulamin i ochrona danych
terms-read = Przeczytaj regulamin i informację o przetwarzaniu danych osobowych
footer-text = SZPoN – nauka i praca zdalna w administracji publicznej.
optional = nieobowiązkowe
save = Zapisz

## Strona główna
home-title = Strona główna
home-heading = Ucz się i pracuj zdalnie w administracji publicznej
home-lead = SZPoN łączy platformę kursów zgodną z Open edX z wirtualnym biurem: zadaniami, kalendarzami, rezerwacją e-wizyt i rozmowami.
home-welcome = Witaj, { $name }!
home-your-organisations = { $count ->
    [one] Należysz do { $count } urzędu:
   *[other] Należysz do { $count } urzędów:
}
home-go-profile = Przejdź do swojego profilu
home-start = Zacznij teraz
home-about = Co znajdziesz w SZPoN
home-about-learning = Kursy dla urzędników i obywateli – także bez zakładania konta.
home-about-office = Wirtualne biuro: zadania, kalendarze zgodne z Outlookiem, e-wizyty i rozmowy.
home-about-accessibility = Serwis spełnia wymagania WCAG 2.1 na poziomie AA i działa w pełni z klawiatury.

## Formularze i błędy
error-summary-title = Popraw błędy w formularzu
error-title-prefix = Błąd:
field-email = Adres e-mail
field-password = Hasło
field-password-hint = Co najmniej 8 znaków. Najlepiej kilka słów, których nikt nie zgadnie.
field-password-confirm = Powtórz hasło
field-current-password = Obecne hasło
field-new-password = Nowe hasło
field-full-name = Imię i nazwisko
field-full-name-hint = Tak, jak ma się pojawić na zaświadczeniach.
field-accept-terms = Akceptuję regulamin serwisu i zasady przetwarzania danych osobowych.
field-language = Język serwisu
field-slug = Adres w serwisie (identyfikator)
field-slug-hint = Małe litery, cyfry i łączniki, np. urzad-gminy-wola.
error-email-required = Podaj adres e-mail.
error-email-invalid = Podaj adres e-mail w poprawnym formacie, np. jan.kowalski@urzad.gov.pl.
error-email-taken = Konto z tym adresem e-mail już istnieje. Zaloguj się lub odzyskaj hasło.
error-name-required = Podaj imię i nazwisko.
error-name-invalid = Imię i nazwisko może mieć najwyżej 200 znaków i nie może zawierać znaków < ani >.
error-password-required = Podaj hasło.
error-password-short = Hasło musi mieć co najmniej 8 znaków.
error-password-long = Hasło jest za długie.
error-password-is-email = Hasło nie może być takie samo jak adres e-mail.
error-password-mismatch = Hasła nie są takie same.
error-password-wrong = Obecne hasło jest nieprawidłowe.
error-terms-required = Aby założyć konto, zaakceptuj regulamin.
error-login-failed = Nieprawidłowy adres e-mail lub hasło.
error-language-invalid = Wybierz język z listy.
error-department-name = Podaj nazwę wydziału (najwyżej 200 znaków).
error-department-exists = Wydział o tej nazwie już istnieje.
error-no-such-user = Nie ma konta z tym adresem e-mail. Poproś tę osobę o założenie konta.
error-role-invalid = Wybierz rolę z listy.
error-slug-invalid = Identyfikator może zawierać tylko małe litery, cyfry i pojedyncze łączniki (2–64 znaki).
error-slug-taken = Ten identyfikator jest już zajęty.
error-org-name = Podaj nazwę urzędu (najwyżej 300 znaków).
error-org-kind = Wybierz rodzaj urzędu z listy.

## Strony błędów
error-code = Kod błędu: { $code }
error-request-id = identyfikator zgłoszenia:
error-go-home = Przejdź do strony głównej
error-400-title = Nieprawidłowe żądanie
error-400-message = Nie udało się przetworzyć przesłanych danych. Wróć do poprzedniej strony i spróbuj ponownie.
error-403-title = Brak dostępu
error-403-message = Nie masz uprawnień do tej strony. Jeśli uważasz, że to błąd, skontaktuj się z administratorem swojego urzędu.
error-404-title = Nie znaleziono strony
error-404-message = Strona, której szukasz, nie istnieje lub została przeniesiona. Sprawdź adres albo przejdź do strony głównej.
error-429-title = Zbyt wiele prób
error-429-message = Wykonano zbyt wiele prób w krótkim czasie. Odczekaj chwilę i spróbuj ponownie.
error-500-title = Wystąpił błąd serwera
error-500-message = Przepraszamy, coś poszło nie tak. Spróbuj ponownie za chwilę. Jeśli błąd się powtórzy, podaj administratorowi identyfikator zgłoszenia.
error-503-title = Serwis chwilowo niedostępny
error-503-message = Serwis jest chwilowo niedostępny. Spróbuj ponownie za kilka minut.
error-csrf-title = Formularz wygasł
error-csrf-message = Ze względów bezpieczeństwa nie mogliśmy przyjąć formularza. Wróć do poprzedniej strony, odśwież ją i wyślij formularz ponownie.

## Logowanie i rejestracja
login-title = Logowanie
login-submit = Zaloguj się
login-link = Masz już konto? Zaloguj się
forgot-link = Nie pamiętasz hasła?
register-link = Nie masz konta? Załóż je
register-title = Załóż konto
register-lead = Konto pozwala zapisywać postępy w kursach, otrzymywać zaświadczenia i korzystać z wirtualnego biura.
register-submit = Załóż konto
forgot-title = Odzyskiwanie hasła
forgot-lead = Podaj adres e-mail konta. Wyślemy na niego jednorazowy odnośnik do ustawienia nowego hasła.
forgot-submit = Wyślij odnośnik
forgot-sent-title = Sprawdź skrzynkę e-mail
forgot-sent-text = Jeśli istnieje konto z tym adresem, wysłaliśmy na nie odnośnik do ustawienia nowego hasła. Odnośnik jest ważny przez 60 minut i działa tylko raz.
reset-title = Ustaw nowe hasło
reset-submit = Zapisz nowe hasło
reset-invalid = Ten odnośnik jest nieważny: wygasł albo został już użyty.
reset-request-new = Poproś o nowy odnośnik
mail-reset-subject = Ustaw nowe hasło w SZPoN
mail-reset-greeting = Dzień dobry, { $name }!
mail-reset-body = Otrzymaliśmy prośbę o ustawienie nowego hasła do Twojego konta w SZPoN. Aby ustawić nowe hasło, otwórz poniższy odnośnik. Jest ważny przez { $minutes } minut i działa tylko raz.
mail-reset-ignore = Jeśli to nie Ty prosiłeś o zmianę hasła, zignoruj tę wiadomość – hasło pozostanie bez zmian.

## Powiadomienia
flash-registered = Konto zostało założone. Witamy w SZPoN!
flash-logged-out = Wylogowano.
flash-password-reset = Hasło zostało zmienione. Zaloguj się nowym hasłem.
flash-password-changed = Hasło zostało zmienione. Pozostałe sesje zostały wylogowane.
flash-profile-saved = Zapisano zmiany w profilu.
flash-department-added = Dodano wydział.
flash-department-set = Zmieniono wydział.
flash-member-added = Dodano osobę do urzędu.
flash-member-removed = Usunięto osobę z urzędu.
flash-org-created = Utworzono urząd.

## Profil
profile-title = Twój profil
profile-data = Dane konta
profile-save = Zapisz zmiany
profile-organisations = Twoje urzędy i role
profile-no-organisations = Nie należysz jeszcze do żadnego urzędu.
password-change-link = Zmień hasło
password-change-title = Zmiana hasła
password-change-submit = Zmień hasło
back-to-profile = Wróć do profilu

## Urzędy
orgs-title = Moje urzędy
org-name = Nazwa urzędu
org-roles = Role
org-role = Rola
org-kind = Rodzaj urzędu
org-members = Pracownicy i uczestnicy
org-department = Wydział
org-department-of = Wydział osoby { $name }
org-no-department = bez wydziału
org-departments = Wydziały
org-no-departments = Nie utworzono jeszcze wydziałów.
org-department-name = Nazwa nowego wydziału
org-add-department = Dodaj wydział
org-actions = Działania
org-remove-member = Usuń z urzędu
org-add-member = Dodaj osobę
org-add-member-hint = Osoba musi mieć konto w SZPoN.
org-add-member-submit = Dodaj osobę
members-count = { $count ->
    [one] { $count } osoba
    [few] { $count } osoby
   *[many] { $count } osób
}
role-administrator = administrator
role-author = autor kursów
role-official = urzędnik
role-learner = uczestnik szkoleń
org-kind-ministry = ministerstwo
org-kind-central_office = urząd centralny
org-kind-voivodeship_office = urząd wojewódzki
org-kind-marshal_office = urząd marszałkowski
org-kind-county_office = starostwo powiatowe
org-kind-municipality = urząd gminy lub miasta
org-kind-other = inna jednostka
admin-orgs-title = Urzędy w serwisie
admin-orgs-list = Wszystkie urzędy
admin-orgs-empty = Nie ma jeszcze żadnego urzędu.
admin-orgs-new = Nowy urząd
admin-orgs-create = Utwórz urząd

## Studio
studio-title = Studio – tworzenie kursów
studio-lead = Tu autorzy tworzą i publikują kursy swoich urzędów.
studio-your-organisations = Urzędy, dla których możesz tworzyć kursy
studio-import-link = Importuj kurs z Open edX
studio-courses = Kursy
studio-no-courses = Twoje urzędy nie mają jeszcze kursów. Zaimportuj kurs z Open edX.
studio-course-title = Tytuł
studio-course-key = Identyfikator kursu
studio-import-title = Import kursu z Open edX
studio-import-lead = Wyślij plik eksportu kursu lub biblioteki z Open edX Studio. Kurs pojawi się w całości: struktura, treści, zadania, pliki i zasady oceniania. Ponowny import tego samego kursu tworzy jego nową wersję.
studio-no-organisation = Nie masz uprawnień autora w żadnym urzędzie.
studio-organisation = Urząd, do którego należy kurs
studio-file = Plik eksportu
studio-file-hint = Plik .tar.gz z Open edX Studio (Narzędzia → Eksport), także .zip lub .tar, najwyżej { $gib } GiB.
studio-upload-label = Postęp przesyłania
studio-upload-progress = Przesłano {"{"}percent{"}"}%
studio-upload-processing = Plik przesłany. Trwa import kursu…
studio-upload-failed = Przesyłanie nie powiodło się. Sprawdź połączenie i spróbuj ponownie.
studio-import-submit = Importuj kurs
studio-back = Wróć do Studio
studio-error-import = Nie udało się zaimportować kursu, niczego nie zapisano: { $detail }
studio-error-too-large = Plik jest większy niż 2 GiB.
studio-error-no-file = Wybierz plik eksportu kursu.
studio-error-organisation = Wybierz urząd z listy.
studio-error-other-organisation = Kurs o tym identyfikatorze należy do innego urzędu.
studio-version = Wersja
studio-blocks = Elementy kursu
studio-blocks-count = { $count ->
    [one] { $count } element
    [few] { $count } elementy
   *[many] { $count } elementów
}
studio-files = Pliki
studio-files-count = { $count ->
    [one] { $count } plik
    [few] { $count } pliki
   *[many] { $count } plików
}
studio-unsupported-heading = Elementy jeszcze nieobsługiwane
studio-unsupported-text = Te elementy zostały zachowane bez zmian i wrócą w eksporcie, ale SZPoN jeszcze ich nie wyświetla. Uczestnicy zobaczą w ich miejscu informację.
studio-blocks-heading = Zawartość kursu
studio-block-type = Rodzaj elementu
studio-count = Liczba
studio-status = Obsługa w SZPoN
studio-supported = obsługiwany
studio-not-supported = jeszcze nieobsługiwany
studio-warnings-heading = Ostrzeżenia z importu
studio-no-warnings = Brak ostrzeżeń.
flash-course-imported = Kurs został zaimportowany.

## Learning: catalog, about, courseware
nav-courses = Kursy
catalog-title = Katalog kursów
catalog-lead = Kursy urzędów i instytucji publicznych. Kursy publiczne możesz zacząć od razu, bez zakładania konta.
catalog-search-label = Wyszukiwanie kursów
catalog-search = Szukaj (tytuł lub urząd)
catalog-language = Język
catalog-organisation = Urząd
catalog-any = Wszystkie
catalog-filter = Pokaż kursy
catalog-clear = Wyczyść filtry
catalog-results = Wyniki
catalog-count = { $count ->
    [one] Znaleziono { $count } kurs.
    [few] Znaleziono { $count } kursy.
   *[other] Znaleziono { $count } kursów.
}
catalog-empty = Nie znaleziono kursów. Zmień wyszukiwanie lub wyczyść filtry.
course-public-badge = Dostępny bez konta
course-enrolled-badge = Zapisano
breadcrumbs = Ścieżka nawigacji
course-organisation = Prowadzi
course-go-learn = Przejdź do kursu
course-your-grade = Twój wynik: { $percent }%
course-unenroll = Wypisz się z kursu
course-learn-anonymously = Ucz się bez konta
course-anonymous-explained = Postępy zapiszemy w tej przeglądarce. Gdy założysz konto lub się zalogujesz, przeniesiemy je na konto.
course-enroll = Zapisz się na kurs
course-sign-in-to-enroll = Zaloguj się, aby się zapisać
course-start = Początek
course-end = Koniec
course-effort = Nakład pracy
course-duration = Czas trwania
course-overview = O kursie
course-about = Opis kursu
course-nav-label = Nawigacja kursu
flash-enrolled = Zapisano Cię na kurs.
flash-unenrolled = Wypisano Cię z kursu.
outline-title = Plan kursu
outline-progress = Ukończone lekcje: { $done } z { $total }.
outline-progress-label = Postęp w kursie
outline-resume = Wróć do miejsca, w którym skończono
outline-start = Zacznij kurs
outline-graded = Oceniane: { $format }
outline-due = Termin: { $date }
completed = ukończono
anonymous-notice = Uczysz się bez konta. Załóż konto lub zaloguj się, aby zachować postępy na stałe i otrzymać certyfikat.
sequence-label = Lekcje w części „{ $title }”
sequence-position = Lekcja { $position } z { $count }
pager-label = Poprzednia i następna lekcja
pager-previous = Poprzednia
pager-next = Następna
pager-finish = Zobacz postęp
block-unsupported-title = Ten element nie jest jeszcze dostępny.
block-unsupported = Blok typu „{ $type }” zostanie obsłużony w jednej z kolejnych wersji SZPoN. Pozostałe treści lekcji działają normalnie.
video-unsupported = Twoja przeglądarka nie odtwarza tego filmu. Pobierz transkrypcję poniżej.
video-youtube-link = Obejrzyj film „{ $title }” w serwisie YouTube
video-no-source = Ten film nie ma źródła, które można odtworzyć.
video-transcripts = Transkrypcja
video-transcript-download = Pobierz transkrypcję ({ $language })
progress-title = Postęp
progress-grade = Ocena z kursu: { $percent }
progress-letter = stopień: { $letter }
progress-passed = Kurs zaliczony.
progress-not-passed = Kurs nie jest jeszcze zaliczony (próg zaliczenia: { $cutoff }).
progress-chart = Wyniki według rodzaju zadań
progress-chart-desc = Wykres słupkowy: wynik procentowy każdego ocenianego zadania i średnie rodzajów zadań. Te same dane są w tabeli pod wykresem.
progress-chart-caption = Słupki z przerywaną ramką i gwiazdką (*) to wyniki odrzucone przy liczeniu średniej. Przerywana pozioma linia to próg zaliczenia.
progress-table-caption = Wyniki według rodzaju zadań (dane wykresu)
progress-col-item = Pozycja
progress-col-score = Wynik
progress-col-detail = Szczegóły
progress-dropped = odrzucony
progress-subsections = Wyniki w częściach kursu
progress-col-subsection = Część kursu
progress-col-type = Rodzaj
progress-col-points = Punkty
progress-col-percent = Procent
progress-ungraded = nieoceniane
problem-broken = Tego zadania nie da się wyświetlić: { $error }
problem-points = { $possible } pkt
problem-points-earned = { $earned } z { $possible } pkt
problem-attempts = Próby: { $used } z { $max }
problem-due = Termin: { $date }
problem-graded = Wynik: { $score } z { $max } pkt.
problem-input-error = Nie można ocenić odpowiedzi: { $error }. Próba nie została zużyta.
problem-scripted = To zadanie jest oceniane skryptem. Ocenianie skryptów pojawi się w kolejnej wersji SZPoN; odpowiedź nie zużyła próby.
problem-closed = To zadanie jest zamknięte: minął termin albo wykorzystano wszystkie próby.
problem-needs-reset = Aby odpowiedzieć ponownie, najpierw zresetuj zadanie (otrzymasz nowy wariant).
problem-conflict = Odpowiedź wysłano jednocześnie z innego okna. Odśwież stronę i spróbuj ponownie.
problem-check = Sprawdź
problem-hint = Wskazówka ({ $n } z { $total })
problem-show-answer = Pokaż odpowiedź
problem-reset = Resetuj
conditional-locked = Ta treść pojawi się po wykonaniu wcześniejszych zadań.
problem-wait = Odczekaj jeszcze { $seconds } s przed kolejną odpowiedzią.
studio-scripted = Zadania oceniane skryptem Python
studio-scripted-count = { $count ->
    [0] brak
    [one] { $count } zadanie (wyświetla się; ocenianie skryptów pojawi się w kolejnej wersji)
    [few] { $count } zadania (wyświetlają się; ocenianie skryptów pojawi się w kolejnej wersji)
   *[many] { $count } zadań (wyświetlają się; ocenianie skryptów pojawi się w kolejnej wersji)
}
video-unsupported-no-transcript = Twoja przeglądarka nie odtwarza tego filmu.
studio-visibility = Kto może się uczyć
studio-visibility-hint = Kurs publiczny można zacząć bez zakładania konta. Kurs można też udostępnić tylko osobom zapisanym albo tylko pracownikom urzędu.
studio-visibility-keep = Bez zmian (nowy kurs: osoby zapisane)
studio-visibility-public = Wszyscy, także bez konta
studio-visibility-enrolled = Osoby zalogowane, które zapiszą się na kurs
studio-visibility-organisation = Tylko pracownicy wybranego urzędu
studio-new-course-title = Nowy kurs
studio-new-course-lead = Utwórz pusty kurs, a potem dodaj do niego rozdziały i lekcje. Kurs zapisuje się z domyślnymi zasadami oceniania Open edX, które można później zmienić.
studio-new-title-hint = Nazwa, którą zobaczą uczestnicy, np. „Ochrona danych osobowych w urzędzie”.
studio-new-number = Kod kursu
studio-new-number-hint = Krótki kod bez spacji, np. RODO101. Litery, cyfry oraz znaki _ - . ~
studio-new-run = Edycja
studio-new-run-hint = Oznaczenie edycji bez spacji, np. 2027 albo 2027_wiosna.
studio-new-language = Język kursu
studio-new-create = Utwórz kurs
studio-error-number = Podaj kod kursu: litery, cyfry oraz znaki _ - . ~, bez spacji, najwyżej 64 znaki.
studio-error-run = Podaj oznaczenie edycji: litery, cyfry oraz znaki _ - . ~, bez spacji, najwyżej 64 znaki.
studio-error-title = Podaj nazwę kursu (najwyżej 200 znaków).
studio-error-language = Wybierz język kursu z listy.
studio-error-course-exists = Ten urząd ma już kurs o tym kodzie i edycji. Zmień kod albo edycję.
flash-course-created = Utworzono kurs.
studio-grading-title = Zasady oceniania
studio-grading-lead = Tak jak w Open edX: wynik kursu to suma średnich z rodzajów zadań pomnożonych przez ich wagi. Zmiana obowiązuje od razu; wyniki uczestników przeliczą się przy ich następnej wizycie.
studio-grading-types = Rodzaje zadań
studio-grading-types-hint = Części kursu oznaczone rodzajem zadań liczą się do wyniku. Wagi muszą dać razem 100%. Aby usunąć rodzaj, zaznacz pole „Usuń”.
studio-grading-new-type = Nowy rodzaj zadań (wypełnij, aby dodać)
studio-grading-kind = Nazwa rodzaju zadań
studio-grading-label = Skrót (na wykresie postępów)
studio-grading-weight = Waga w procentach
studio-grading-min = Liczba części tego rodzaju
studio-grading-drop = Ile najsłabszych wyników pominąć
studio-grading-remove = Usuń rodzaj „{ $name }”
studio-grading-cutoffs = Progi ocen
studio-grading-cutoffs-hint = Każda ocena ma dolny próg w procentach. Najniższy próg to próg zaliczenia. Puste wiersze są pomijane.
studio-grading-grade-n = Ocena { $n }
studio-grading-grade = Nazwa oceny (np. Zaliczone, A)
studio-grading-cutoff = Dolny próg w procentach
studio-grading-save = Zapisz zasady oceniania
studio-grading-error-kind = Podaj nazwę rodzaju zadań (najwyżej 100 znaków).
studio-grading-error-kind-twice = Ta nazwa rodzaju zadań już jest na liście.
studio-grading-error-weight = Podaj wagę od 0 do 100.
studio-grading-error-min = Podaj liczbę części: liczbę całkowitą od 1 do 1000.
studio-grading-error-drop = Podaj liczbę pomijanych wyników: liczbę całkowitą od 0.
studio-grading-error-drop-too-many = Pominąć można mniej wyników, niż jest części tego rodzaju.
studio-grading-error-label = Skrót może mieć najwyżej 30 znaków.
studio-grading-error-none = Dodaj co najmniej jeden rodzaj zadań.
studio-grading-error-total = Wagi rodzajów zadań muszą dać razem 100%.
studio-grading-error-grade = Podaj nazwę oceny (najwyżej 30 znaków).
studio-grading-error-grade-twice = Ta ocena już jest na liście.
studio-grading-error-cutoff = Podaj próg od 1 do 100.
studio-grading-error-cutoff-twice = Dwie oceny nie mogą mieć tego samego progu.
studio-grading-error-no-grade = Podaj co najmniej jedną ocenę z progiem (np. Zaliczone, 50).
studio-export-link = Pobierz eksport kursu (.tar.gz, format Open edX)
studio-outline-link = Struktura kursu (edycja)
studio-changes-link = Niepublikowane zmiany i publikowanie
studio-versions-link = Opublikowane wersje i przywracanie
studio-export-draft-link = Pobierz eksport wersji roboczej (.tar.gz)
studio-import-over-link = Importuj nową wersję tego kursu
studio-ready-heading = Przed eksportem do Open edX
studio-ready-text = SZPoN działa bez tych ustawień, ale walidator importu Open edX (olxcleaner) ich wymaga. Uzupełnij je, jeśli kurs ma trafić do Open edX:
studio-ready-start = Data rozpoczęcia kursu (Harmonogram)
studio-ready-end = Data zakończenia kursu (Harmonogram)
studio-ready-image = Obraz kursu (Opis kursu)
studio-grading-link = Zasady oceniania
flash-grading-saved = Zapisano zasady oceniania.
studio-settings-title = Ustawienia kursu
studio-settings-save = Zapisz ustawienia
studio-settings-back = Wróć do opisu kursu
studio-certificates = Zaświadczenia
studio-certificates-pass = Po zaliczeniu (wynik co najmniej progu zaliczenia)
studio-certificates-completion = Po ukończeniu wszystkich części kursu, bez względu na wynik
studio-certificates-off = Kurs nie wydaje zaświadczeń
studio-certificate-grade = Podawaj wynik na zaświadczeniu
studio-gamification = Punkty i odznaki
studio-gamification-on = Przyznawaj punkty, odznaki i prowadź ranking (udział w rankingu jest dobrowolny)
studio-points-unit = Punkty za ukończoną lekcję
studio-points-correct = Punkty za zadanie rozwiązane w pełni poprawnie
studio-points-hint = Liczba całkowita od 0 do 1000.
studio-error-points = Podaj liczbę całkowitą od 0 do 1000.
studio-error-visibility = Wybierz, kto może się uczyć.
studio-error-certificates = Wybierz, kiedy kurs wydaje zaświadczenia.
flash-settings-saved = Zapisano ustawienia kursu.
poll-vote = Wyślij odpowiedź
poll-vote-again = Zmień odpowiedź
poll-voted = Twoja odpowiedź została zapisana.
poll-results-private = Wyniki tej ankiety widzą tylko prowadzący.
poll-csv = Pobierz odpowiedzi (CSV)
poll-results = { $voters ->
    [one] Wyniki: odpowiedziała { $voters } osoba
    [few] Wyniki: odpowiedziały { $voters } osoby
   *[many] Wyniki: odpowiedziało { $voters } osób
}
poll-col-question = Pytanie
poll-col-answer = Odpowiedź
poll-col-votes = Głosy
poll-col-percent = Procent
flash-poll-incomplete = Odpowiedz na wszystkie pytania ankiety.
flash-poll-voted = Dziękujemy, odpowiedź została zapisana.
flash-poll-limit = Ta odpowiedź nie została zapisana: wykorzystano już wszystkie możliwe odpowiedzi.
cert-yours = Twoje zaświadczenie
cert-download-pdf = Pobierz zaświadczenie (PDF)
cert-download-badge = Pobierz odznakę Open Badges 3.0 (JSON)
cert-verify-page = Strona weryfikacji zaświadczenia
cert-need-account = Aby otrzymać zaświadczenie z imieniem i nazwiskiem, załóż konto – Twoje postępy zostaną przeniesione.
cert-verify-title = Weryfikacja zaświadczenia
cert-unknown = Nie znaleziono zaświadczenia
cert-unknown-text = W SZPoN nie ma zaświadczenia o tym numerze. Sprawdź adres albo zapytaj instytucję, która je wydała.
cert-valid = Zaświadczenie jest ważne.
cert-valid-short = ważne
cert-revoked = Zaświadczenie zostało unieważnione
cert-revoke-reason = Powód unieważnienia
cert-name = Imię i nazwisko
cert-course = Kurs
cert-organisation = Wydał
cert-issued = Data wydania
cert-grade = Wynik
cert-number = Numer zaświadczenia
cert-json = Dane w formacie JSON
cert-staff-title = Wydane zaświadczenia
cert-status = Stan
cert-action = Działanie
cert-revoke = Unieważnij
cert-none = W tym kursie nie wydano jeszcze zaświadczeń.
cert-how-pass = Zaświadczenie otrzymasz po zaliczeniu kursu (wynik co najmniej { $cutoff }).
cert-how-completion = Zaświadczenie otrzymasz po ukończeniu wszystkich części kursu.
cert-profile-heading = Moje zaświadczenia
cert-profile-none = Nie masz jeszcze zaświadczeń. Otrzymasz je po ukończeniu kursu.
cert-status-not-valid = nieważne
flash-revoked = Zaświadczenie zostało unieważnione.
flash-revoke-reason = Podaj powód unieważnienia.
org-logo = Logo urzędu
org-logo-text = Logo pojawia się na zaświadczeniach wydawanych w kursach urzędu i na stronach ich weryfikacji.
org-logo-alt = Logo: { $name }
org-logo-file = Plik z logo
org-logo-hint = PNG albo JPEG, najwyżej 1 MB. Najlepiej poziome, na przezroczystym albo białym tle.
org-logo-save = Zapisz logo
org-logo-remove = Usuń logo
org-logo-too-large = Plik jest większy niż 1 MB.
org-logo-missing = Wybierz plik z logo.
org-logo-type = Logo musi być plikiem PNG albo JPEG.
flash-logo-saved = Zapisano logo urzędu.
flash-logo-removed = Usunięto logo urzędu.
