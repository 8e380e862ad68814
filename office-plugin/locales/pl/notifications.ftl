# Virtual office: notifications
notification-title = Powiadomienia
notification-unread-count = { $count ->
    [0] Nie masz nieprzeczytanych powiadomień.
    [one] Masz { $count } nieprzeczytane powiadomienie.
    [few] Masz { $count } nieprzeczytane powiadomienia.
   *[other] Masz { $count } nieprzeczytanych powiadomień.
}
notification-none = Nie masz powiadomień.
notification-mark-all = Oznacz wszystkie jako przeczytane
notification-mark-read = Oznacz jako przeczytane
notification-state-unread = Nieprzeczytane
notification-state-read = Przeczytane
notification-by = od: { $name }
notification-settings-link = Ustawienia powiadomień
notification-settings-title = Ustawienia powiadomień
notification-settings-lead = Wybierz, o czym chcesz być powiadamiany w aplikacji, a o czym e-mailem.
notification-settings-caption = Powiadomienia według rodzaju
notification-col-kind = Rodzaj
notification-col-app = W aplikacji
notification-col-email = E-mailem
notification-settings-save = Zapisz ustawienia
notification-back = Wróć do powiadomień
flash-notification-read = Powiadomienie oznaczono jako przeczytane.
flash-notification-all-read = Wszystkie powiadomienia oznaczono jako przeczytane.
flash-notification-settings = Ustawienia powiadomień zostały zapisane.
notification-kind-assigned = Przydzielono ci zadanie
notification-kind-delegated = Przekazano zadanie
notification-kind-comment = Nowy komentarz do zadania
notification-kind-due_tomorrow = Termin zadania mija jutro
notification-kind-overdue = Zadanie jest po terminie
notification-kind-booking_new = Nowa rezerwacja wizyty
notification-kind-booking_changed = Zmiana lub odwołanie wizyty
notification-kind-invitation = Zaproszenie na wydarzenie
notification-email-by = Kto: { $name }
notification-email-open = Zobacz: { $url }
notification-email-settings = Ustawienia powiadomień: { $url }
