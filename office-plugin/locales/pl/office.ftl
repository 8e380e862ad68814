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
