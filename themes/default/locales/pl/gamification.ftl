# Gamification: dashboard, levels, badges, leaderboard.
gam-nav-dashboard = Mój panel
gam-dashboard-title = Mój panel
gam-dashboard-intro = Twoje kursy, punkty, odznaki i zaświadczenia w jednym miejscu.
gam-points-heading = Punkty i poziom
gam-points-total = Punkty: { $points }
gam-level = Poziom { $number }: { $name }
gam-level-progress-label = Postęp do następnego poziomu
gam-to-next = Do poziomu „{ $name }” brakuje { $points ->
    [one] { $points } punktu
   *[other] { $points } punktów
}.
gam-top-level = Osiągnięto najwyższy poziom.
gam-streak-heading = Seria dni nauki
gam-streak-current = Obecna seria: { $days ->
    [one] { $days } dzień
   *[other] { $days } dni
}
gam-streak-longest = Najdłuższa seria: { $days ->
    [one] { $days } dzień
   *[other] { $days } dni
}
gam-streak-help = Seria to kolejne dni, w których robisz postępy w kursie (ukończona lekcja lub sprawdzona odpowiedź). Trwa, dopóki ostatni dzień nauki to dziś albo wczoraj.
gam-courses-heading = Moje kursy
gam-courses-none = Nie rozpoczęto jeszcze żadnego kursu.
gam-courses-browse = Przeglądaj kursy
gam-col-course = Kurs
gam-col-units = Ukończone lekcje
gam-col-grade = Wynik
gam-col-points = Punkty
gam-units-label = Ukończone lekcje w kursie { $course }
gam-grade-label = Wynik w kursie { $course }
gam-units-value = { $done } z { $total } ({ $percent }%)
gam-grade-value = { $percent }%
gam-grade-none = brak ocen
gam-passed = zaliczony
gam-no-points = bez punktów
gam-badges-heading = Moje odznaki
gam-badges-none = Nie masz jeszcze odznak. Zdobywasz je, kończąc rozdziały i kursy, ucząc się kilka dni z rzędu i odpowiadając bezbłędnie.
gam-certificates-heading = Moje zaświadczenia
gam-certificates-none = Nie masz jeszcze zaświadczeń.
gam-cert-revoked = unieważnione
gam-ranking-link = Ranking kursu

gam-level-1 = Nowicjusz
gam-level-2 = Uczeń
gam-level-3 = Praktyk
gam-level-4 = Znawca
gam-level-5 = Ekspert
gam-level-6 = Mistrz

gam-badge-chapter = Ukończony rozdział: { $subject }
gam-badge-chapter-criteria = Ukończenie wszystkich lekcji rozdziału „{ $subject }” w kursie „{ $course }”.
gam-badge-streak = { $subject } dni nauki z rzędu
gam-badge-streak-criteria = Postępy w kursie „{ $course }” przez { $subject } kolejnych dni.
gam-badge-first-time = Bezbłędnie za pierwszym razem
gam-badge-first-time-criteria = Poprawna odpowiedź w pierwszej próbie na każde punktowane zadanie kursu „{ $course }”.
gam-badge-course = Kurs ukończony
gam-badge-course-criteria = Ukończenie wszystkich lekcji kursu „{ $course }”.

gam-badge-title = Odznaka
gam-badge-holder = Posiadacz
gam-badge-course-label = Kurs
gam-badge-organisation = Wydawca
gam-badge-awarded = Przyznana
gam-badge-criteria-label = Za co
gam-badge-number = Numer odznaki
gam-badge-download = Pobierz odznakę (Open Badges 3.0, JSON-LD)
gam-badge-image = Obraz odznaki (SVG)
gam-badge-verify-note = Ta strona jest adresem weryfikacji odznaki. Odznaka zapisana w portfelu cyfrowym wskazuje ten adres.

gam-ranking-title = Ranking
gam-ranking-heading = Ranking kursu: { $title }
gam-ranking-privacy = Ranking jest dobrowolny. Widać w nim tylko osoby, które do niego dołączyły — domyślnie pod losowym pseudonimem. Imię i nazwisko pojawia się tylko wtedy, gdy ktoś sam to wybierze.
gam-ranking-caption = Najlepsi uczestnicy rankingu (pierwsze { $top } miejsc)
gam-ranking-col-rank = Miejsce
gam-ranking-col-name = Uczestnik
gam-ranking-col-points = Punkty
gam-ranking-you = (Ty)
gam-ranking-pseudonym = pseudonim
gam-ranking-empty = Nikt jeszcze nie dołączył do rankingu.
gam-ranking-own-caption = Twoje miejsce
gam-ranking-my-points = Twoje punkty w tym kursie: { $points }
gam-ranking-join-heading = Udział w rankingu
gam-ranking-join = Dołącz do rankingu pod pseudonimem
gam-ranking-leave = Opuść ranking
gam-ranking-member = Jesteś w rankingu jako „{ $name }”.
gam-ranking-member-pseudonym = Inni widzą Cię pod pseudonimem „{ $pseudonym }”.
gam-ranking-show-name = Pokazuj moje imię i nazwisko zamiast pseudonimu
gam-ranking-hide-name = Wróć do pseudonimu
gam-ranking-not-member = Nie jesteś w rankingu. Inni uczestnicy Cię nie widzą.
gam-ranking-sign-in = Aby dołączyć do rankingu, zaloguj się.

flash-gam-joined = Dołączono do rankingu pod pseudonimem.
flash-gam-left = Opuszczono ranking.
flash-gam-name-shown = W rankingu widać teraz Twoje imię i nazwisko.
flash-gam-name-hidden = W rankingu widać teraz Twój pseudonim.
