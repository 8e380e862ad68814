# Studio: wersja robocza, publikowanie, wersje, przywracanie, import nowej wersji
studio-publish-changes-title = Niepublikowane zmiany
studio-publish-changes-lead = Zmiany w strukturze i treści kursu trafiają najpierw do wersji roboczej. Uczący się widzą tylko opublikowaną wersję, dopóki nie opublikujesz zmian: całej jednostki, całej sekcji albo wszystkiego naraz.
studio-publish-no-changes = Brak niepublikowanych zmian. Uczący się widzą kurs w takiej postaci, jak wersja robocza.
studio-publish-count = { $count ->
    [one] { $count } niepublikowana zmiana
    [few] { $count } niepublikowane zmiany
   *[many] { $count } niepublikowanych zmian
}
studio-publish-all = Opublikuj wszystko
studio-publish-unit = Opublikuj jednostkę
studio-publish-section = Opublikuj sekcję
studio-publish-section-named = Opublikuj sekcję „{ $name }”
studio-publish-discard = Odrzuć zmiany
studio-publish-course-level = Zmiany całego kursu
studio-publish-no-name = bez nazwy
studio-publish-heading-section = Sekcja { $n }: { $name }
studio-publish-heading-unit = Jednostka { $n }: { $name }
studio-publish-place-section = Sekcja { $n }
studio-publish-place-subsection = Podrozdział { $n }
studio-publish-place-unit = Jednostka { $n }
studio-publish-named = { $what } „{ $name }”
studio-publish-unnamed = { $what } (bez nazwy)
studio-publish-kind-added = + Dodano
studio-publish-kind-removed = − Usunięto
studio-publish-kind-moved = ↕ Przeniesiono
studio-publish-kind-changed = ~ Zmieniono
studio-publish-type-course = kurs
studio-publish-type-chapter = sekcja
studio-publish-type-sequential = podrozdział
studio-publish-type-vertical = jednostka
studio-publish-type-html = tekst
studio-publish-type-problem = zadanie
studio-publish-type-video = film
studio-publish-type-poll = sonda
studio-publish-type-survey = ankieta
studio-publish-type-word-cloud = chmura słów
studio-publish-type-discussion = dyskusja
studio-publish-type-library-content = zadania z biblioteki
studio-publish-type-openassessment = ocena koleżeńska
studio-publish-type-other = składnik typu { $type }
studio-publish-detail-name = nazwa zmieniona z „{ $from }” na „{ $to }”
studio-publish-detail-content = zmieniona treść
studio-publish-detail-fields = zmienione ustawienia: { $fields }
studio-publish-detail-moved-from = poprzednie miejsce: { $place }
studio-publish-field-graded = ocenianie
studio-publish-field-format = rodzaj zadania
studio-publish-field-due = termin
studio-publish-field-start = data udostępnienia
studio-publish-field-hidden = ukrycie przed uczącymi się
studio-publish-field-weight = waga
studio-publish-field-attempts = liczba prób
studio-publish-field-showanswer = pokazywanie odpowiedzi
studio-publish-field-time-limit = limit czasu
studio-publish-done = Opublikowano jako wersję { $number }. Uczący się widzą już te zmiany.
flash-published = Opublikowano zmiany jako nową wersję kursu. Uczący się widzą już te zmiany.
flash-draft-discarded = Odrzucono niepublikowane zmiany. Wersja robocza jest znów taka jak opublikowana.
flash-draft-none = Nie było niepublikowanych zmian do odrzucenia.
studio-publish-error-title = Nie można opublikować
studio-publish-problem = Co poszło nie tak
studio-publish-what-now = Co zrobić
studio-publish-nothing-changed = Niczego nie zmieniono: uczący się nadal widzą dotychczasową wersję kursu.
studio-publish-back = Wróć
studio-publish-error-return = Adres powrotu nie prowadzi do stron tego kursu w Studio, więc nie opublikowano zmian. Otwórz listę niepublikowanych zmian i opublikuj je stamtąd.
studio-publish-error-scope = Nie wiadomo, co opublikować. Wybierz przycisk „Opublikuj jednostkę”, „Opublikuj sekcję” albo „Opublikuj wszystko” na liście niepublikowanych zmian.
studio-publish-error-nothing = Nie ma tu nic do opublikowania: opublikowana wersja ma już tę treść. Sprawdź listę niepublikowanych zmian.
studio-publish-error-not-found = Tego elementu nie ma ani w wersji roboczej, ani w opublikowanym kursie. Mógł zostać usunięty w międzyczasie; otwórz listę niepublikowanych zmian ponownie.
studio-publish-error-parent-subsection = Nie można opublikować samej jednostki „{ $name }”: jej podrozdział „{ $parent }” nie jest jeszcze opublikowany. Najpierw opublikuj sekcję „{ $section }” (razem z tym podrozdziałem) albo wszystkie zmiany.
studio-publish-error-parent-section = Nie można opublikować samej jednostki „{ $name }”: jej sekcja „{ $parent }” nie jest jeszcze opublikowana. Najpierw opublikuj sekcję „{ $parent }” albo wszystkie zmiany.
studio-publish-error-parent-other = Nie można opublikować: { $block } jest w miejscu, które nie jest jeszcze opublikowane ({ $parent_named }). Najpierw opublikuj sekcję „{ $section }” albo wszystkie zmiany.
studio-publish-discard-title = Odrzucić niepublikowane zmiany?
studio-publish-discard-lead = { $count ->
    [one] { $count } niepublikowana zmiana w kursie „{ $course }” zostanie usunięta.
    [few] { $count } niepublikowane zmiany w kursie „{ $course }” zostaną usunięte.
   *[many] { $count } niepublikowanych zmian w kursie „{ $course }” zostanie usuniętych.
} Wersja robocza wróci do opublikowanej wersji, którą widzą uczący się. Tego nie można cofnąć.
studio-publish-discard-confirm = Tak, odrzuć zmiany
studio-publish-discard-cancel = Nie, wróć do listy zmian
studio-publish-versions-title = Opublikowane wersje
studio-publish-versions-lead = Każde opublikowanie, import i zmiana ustawień tworzy nową wersję kursu. Możesz przywrócić każdą wcześniejszą wersję: zostanie opublikowana jako nowa, a historia zostanie zachowana. Czas podano według czasu polskiego.
studio-publish-col-number = Wersja
studio-publish-col-source = Skąd
studio-publish-col-who = Kto
studio-publish-col-when = Kiedy
studio-publish-col-actions = Działania
studio-publish-current = bieżąca
studio-publish-current-hint = Tę wersję widzą uczący się.
studio-publish-restore = Przywróć
studio-publish-restore-which = wersję { $number }
studio-publish-who-unknown = nie zapisano (np. import z wiersza poleceń)
studio-publish-source-import = import kursu z pliku
studio-publish-source-publish = opublikowanie zmian
studio-publish-source-rollback = przywrócenie wersji { $number }
studio-publish-source-studio = utworzenie kursu w Studio
studio-publish-source-grading = zmiana zasad oceniania
studio-publish-source-schedule = zmiana harmonogramu
studio-publish-source-about = zmiana opisu kursu
studio-publish-source-assets = zmiana plików kursu
studio-publish-source-settings = zmiana ustawień
studio-publish-source-other = inna zmiana ({ $source })
studio-publish-rolled-back = Przywrócono wersję { $number }: opublikowano ją jako wersję { $new }. Uczący się widzą już tę wersję.
studio-publish-rollback-title = Przywrócić wersję { $number }?
studio-publish-rollback-lead = Treść i ustawienia kursu z wersji { $number } zostaną opublikowane jako nowa wersja { $next } i uczący się zobaczą je od razu. Późniejsze wersje zostaną w historii, więc będzie można do nich wrócić.
studio-publish-rollback-draft-heading = Niepublikowane zmiany zostaną odrzucone
studio-publish-rollback-draft = { $count ->
    [0] Wersja robocza zostanie zastąpiona przywróconą wersją. Teraz nie ma niepublikowanych zmian.
    [one] Wersja robocza zostanie zastąpiona przywróconą wersją: { $count } niepublikowana zmiana zostanie odrzucona.
    [few] Wersja robocza zostanie zastąpiona przywróconą wersją: { $count } niepublikowane zmiany zostaną odrzucone.
   *[many] Wersja robocza zostanie zastąpiona przywróconą wersją: { $count } niepublikowanych zmian zostanie odrzuconych.
}
studio-publish-rollback-confirm = Tak, przywróć wersję { $number }
studio-publish-rollback-cancel = Nie, wróć do listy wersji
studio-publish-rollback-error-title = Nie można przywrócić
studio-publish-rollback-current = To jest bieżąca wersja kursu: uczący się już ją widzą. Aby usunąć niepublikowane zmiany, użyj przycisku „Odrzuć zmiany” na liście zmian.
studio-publish-import-title = Import nowej wersji kursu
studio-publish-import-lead = Wyślij plik eksportu kursu z Open edX Studio albo z SZPoN (.tar.gz). Cała treść kursu zostanie zastąpiona treścią z pliku.
studio-publish-import-effects = Co się stanie
studio-publish-import-effect-publish = Zawartość pliku zostanie od razu opublikowana jako nowa wersja kursu: uczący się zobaczą ją natychmiast.
studio-publish-import-effect-draft = { $count ->
    [0] Wersja robocza zostanie zastąpiona. Teraz nie ma niepublikowanych zmian.
    [one] Niepublikowane zmiany zostaną utracone: { $count } zmiana.
    [few] Niepublikowane zmiany zostaną utracone: { $count } zmiany.
   *[many] Niepublikowane zmiany zostaną utracone: { $count } zmian.
}
studio-publish-import-effect-key = Jeśli plik zawiera kurs o innym identyfikatorze (np. eksport innej edycji), zostanie zaimportowany do tego kursu i dostanie jego identyfikator { $course }, tak jak przy imporcie w Open edX Studio.
studio-publish-import-effect-history = Poprzednie wersje zostaną w historii: możesz do nich wrócić na stronie opublikowanych wersji.
studio-publish-import-confirm = { $count ->
    [one] Rozumiem, że { $count } niepublikowana zmiana zostanie utracona.
    [few] Rozumiem, że { $count } niepublikowane zmiany zostaną utracone.
   *[many] Rozumiem, że { $count } niepublikowanych zmian zostanie utraconych.
}
studio-publish-import-confirm-error = Kurs ma niepublikowane zmiany, które import usunie. Zaznacz, że o tym wiesz, albo najpierw opublikuj zmiany.
studio-publish-import-submit = Importuj i opublikuj
studio-publish-import-gone = Tego kursu już nie ma.
studio-publish-import-wrong-kind = Plik zawiera bibliotekę, a to jest kurs (albo odwrotnie). Wyślij eksport kursu.
flash-course-imported-over = Zaimportowano i opublikowano nową wersję kursu. Niżej jest raport importu.
flash-course-imported-rekeyed = Zaimportowano i opublikowano nową wersję kursu. Plik zawierał kurs o innym identyfikatorze: zaimportowano go do tego kursu. Niżej jest raport importu.
