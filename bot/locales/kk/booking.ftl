# The hiring pipeline after «Invite» (bot/scheduling, bot/services/bookings.py): the default
# stages' names and checklists (one item a line), the .ics file's texts.
stage-interview = Әңгімелесу
stage-fitness_test = Дене дайындығы бойынша нормативтерді тапсыру
stage-medical_commission = Медициналық комиссия
stage-custom = Іріктеу кезеңі
checklist-interview =
    Жеке куәлік
    Білімі туралы диплом қосымшасымен
    Әскери билет немесе тіркеу куәлігі
    Жүргізуші куәлігі (жүргізушілер үшін)
checklist-fitness_test =
    Жеке куәлік
    Спорттық киім және спорттық аяқ киім
    Дене жүктемесіне рұқсат туралы анықтама
checklist-medical_commission =
    Жеке куәлік
    Әскери билет немесе тіркеу куәлігі
    Медициналық анықтама (075/у нысаны)
    Флюорография нәтижесі
    Наркологиялық және психоневрологиялық диспансерлерден анықтамалар
ics-summary = { $stage } — Алматы қаласының Құтқару қызметі
ics-checklist_title = Өзіңізбен бірге алыңыз:
ics-online = Онлайн
