# The hiring pipeline after «Invite» (bot/scheduling, bot/services/bookings.py): the default
# stages' names and checklists (one item a line), the .ics file's texts.
stage-interview = Собеседование
stage-fitness_test = Сдача нормативов по физической подготовке
stage-medical_commission = Медицинская комиссия
stage-custom = Этап отбора
checklist-interview =
    Удостоверение личности
    Диплом об образовании с приложением
    Военный билет или приписное свидетельство
    Водительское удостоверение (для водителей)
checklist-fitness_test =
    Удостоверение личности
    Спортивная форма и спортивная обувь
    Справка о допуске к физическим нагрузкам
checklist-medical_commission =
    Удостоверение личности
    Военный билет или приписное свидетельство
    Медицинская справка (форма 075/у)
    Результат флюорографии
    Справки из наркологического и психоневрологического диспансеров
ics-summary = { $stage } — Служба спасения г. Алматы
ics-checklist_title = Что взять с собой:
ics-online = Онлайн
