# Studio: pliki kursu (/studio/kursy/{id}/pliki)
studio-assets-title = Pliki kursu
studio-assets-lead = Obrazy, dokumenty, napisy i inne pliki, do których prowadzą odnośniki w treści kursu (/static/…). Zmiany obowiązują od razu: każda zapisuje nową wersję kursu.
studio-assets-upload-heading = Dodaj plik
studio-assets-replace-heading = Zamień zawartość pliku
studio-assets-file = Plik
studio-assets-file-hint = Najwyżej { $mb } MB. Nazwa zostanie uporządkowana tak jak w Open edX (np. spacje zamienią się na podkreślenia). Plik o tej samej nazwie zostanie zastąpiony.
studio-assets-replace-hint = Najwyżej { $mb } MB. Plik zachowa swoją nazwę, więc odnośniki w treści dalej będą działać.
studio-assets-upload-submit = Wyślij plik
studio-assets-replace-submit = Zamień plik
studio-assets-cancel = Anuluj
studio-assets-list-heading = Pliki w bieżącej wersji
studio-assets-none = Kurs nie ma jeszcze żadnych plików.
studio-assets-col-name = Nazwa
studio-assets-col-type = Typ
studio-assets-col-size = Rozmiar
studio-assets-col-usage = Gdzie używany
studio-assets-col-actions = Działania
studio-assets-unused = Nieużywany
studio-assets-used-units = { $count ->
    [one] Używany w { $count } jednostce:
    [few] Używany w { $count } jednostkach:
    [many] Używany w { $count } jednostkach:
   *[other] Używany w { $count } jednostki:
}
studio-assets-use-transcript = napisy do filmu
studio-assets-use-course-image = Ustawienia kursu
studio-assets-use-about = Strona o kursie
studio-assets-use-info = Informacje o kursie
studio-assets-use-tab = Zakładka kursu
studio-assets-use-block = Element kursu
studio-assets-replace = Zamień
studio-assets-delete = Usuń
studio-assets-confirm-title = Usunąć używany plik
studio-assets-confirm-lead = Ten plik jest używany w kursie. Po usunięciu odnośniki do niego przestaną działać. Starsze wersje kursu zachowają plik.
studio-assets-uses-heading = Gdzie plik jest używany
studio-assets-confirm-delete = Usuń mimo to
studio-assets-error-no-file = Wybierz plik do wysłania.
studio-assets-error-name = Nazwa pliku jest niedozwolona: nie może zawierać ukośników, znaków sterujących ani zaczynać się od kropki i może mieć najwyżej 255 bajtów.
studio-assets-error-too-large = Plik jest za duży (najwyżej 100 MB).
flash-assets-uploaded = Dodano plik.
flash-assets-replaced = Zamieniono zawartość pliku.
flash-assets-deleted = Usunięto plik.
