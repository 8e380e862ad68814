nav-office = Wirtualny urząd
office-title = Wirtualny urząd
office-lead = Tu urzędnicy pracują zdalnie: zadania, kalendarze, rezerwacje e-wizyt i rozmowy.
office-your-offices = Urzędy, w których pracujesz
office-name = Urząd
office-public-booking = Publiczne rezerwacje e-wizyt
office-on = włączone
office-off = wyłączone
office-no-offices = Nie pracujesz jeszcze w żadnym urzędzie. Poproś administratora urzędu o rolę urzędnika.
office-nav-label = Wirtualny urząd
office-nav-overview = Przegląd
office-nav-tasks = Zadania
office-nav-calendar = Kalendarz
office-nav-bookings = Wizyty
office-nav-matters = Sprawy i dostępność
office-nav-statistics = Statystyki
office-nav-todo = Moje notatki
office-nav-notifications = Powiadomienia
office-nav-unread = { $count ->
    [one] { $count } nieprzeczytane
    [few] { $count } nieprzeczytane
   *[other] { $count } nieprzeczytanych
}
office-attention = Do zrobienia
office-open-tasks = { $count ->
    [one] { $count } otwarte zadanie dla Ciebie lub Twojego wydziału
    [few] { $count } otwarte zadania dla Ciebie lub Twojego wydziału
   *[other] { $count } otwartych zadań dla Ciebie lub Twojego wydziału
}
office-overdue-tasks = { $count ->
    [one] { $count } zadanie po terminie
    [few] { $count } zadania po terminie
   *[other] { $count } zadań po terminie
}
office-no-overdue = Żadne zadanie nie jest po terminie.
office-unread = { $count ->
    [one] { $count } nieprzeczytane powiadomienie
    [few] { $count } nieprzeczytane powiadomienia
   *[other] { $count } nieprzeczytanych powiadomień
}
office-agenda = Najbliższe 7 dni
office-agenda-task = termin zadania
office-agenda-booking = wizyta
office-agenda-event = wydarzenie
office-agenda-empty = W najbliższych 7 dniach nie masz wydarzeń, wizyt ani terminów zadań.
office-agenda-calendar = Cały kalendarz
