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

# The candidate's side of the pipeline (bot/rendering/booking.py, bot/handlers/booking.py).
weekday-0 = дс
weekday-1 = сс
weekday-2 = ср
weekday-3 = бс
weekday-4 = жм
weekday-5 = сб
weekday-6 = жс
slot-button = { $weekday } { $date }, { $time }
offer-invited = 📅 <b>{ $stage }</b>: ыңғайлы уақытты таңдаңыз (Алматы уақыты).
offer-passed = 📅 Келесі кезең — <b>{ $stage }</b>: ыңғайлы уақытты таңдаңыз (Алматы уақыты).
offer-slots_opened = 📅 <b>{ $stage }</b> кезеңіне жазылу ашылды: ыңғайлы уақытты таңдаңыз (Алматы уақыты).
offer-slot_cancelled = 📅 <b>{ $stage }</b> кезеңі үшін басқа уақытты таңдаңыз (Алматы уақыты).
offer-again = Қайта жазылғыңыз келсе, басқа уақытты таңдаңыз:
no_slots = ⏳ Қазір «{ $stage }» кезеңіне бос уақыт жоқ. Кадр бөлімі жазылуды ашқан бойда осында таңдау аласыз.
confirmed-title = ✅ Сіз жазылдыңыз: <b>{ $stage }</b>
rescheduled-title = 🔁 Жазылу ауыстырылды: <b>{ $stage }</b>
when = 🕒 { $date }, сағат { $time } (Алматы уақыты)
place = 📍 { $address }
online = 💻 Онлайн: { $url }
checklist = Өзіңізбен бірге алыңыз:
deadline = Жазылуды { $deadline } дейін ауыстыруға болады; бас тарту — басталғанға дейін.
ics-caption = 📎 Күнтізбеге арналған файл: { $stage }, { $date }, сағат { $time }.
ics-file_name = zhazylu-{ $number }.ics
reminder-24h = 🔔 Еске салу: ертең — <b>{ $stage }</b>, { $date }, сағат { $time } (Алматы уақыты).
reminder-2h = 🔔 2 сағаттан кейін — <b>{ $stage }</b>, сағат { $time } (Алматы уақыты).
reminder-ask_confirm = Келетініңізді растаңыз.
button-confirm = ✅ Растаймын
button-reschedule = 🔁 Ауыстыру
button-cancel = ✖ Жазылудан бас тарту
cancelled-slot_cancelled = ❗ Кадр бөлімі жазылу уақытыңызды болдырмады: { $stage }, { $date }, сағат { $time }.
cancelled-rejected = Жазылуыңыз болдырылмады: { $stage }, { $date }, сағат { $time }.
cancelled-by_you = ✖ Жазылу болдырылмады: { $stage }, { $date }, сағат { $time }.
result-passed_next = ✅ «{ $stage }» кезеңінен өттіңіз. Келесі кезең — «{ $next }».
result-passed_last = ✅ «{ $stage }» кезеңінен өттіңіз — бұл соңғы кезең еді. Шешімді кадр бөлімі хабарлайды.
result-failed = «{ $stage }» кезеңіне қатысқаныңызға рахмет. Өкінішке қарай, оның нәтижесі іріктеуді жалғастыруға мүмкіндік бермейді: №{ $number } өтінім жабылды. Басқа бос орындарды қараңыз — /vacancies командасы.
result-no_show = Сіз «{ $stage }» кезеңіне келмедіңіз, сондықтан №{ $number } өтінім жабылды. Әлі де қызығушылық танытсаңыз, өтінімді қайта беріңіз.
hired = 🎉 Құттықтаймыз! Сіз «{ $title }» лауазымына қабылдандыңыз (№{ $number } өтінім). Алғашқы жұмыс күніңіз — { $date }.
chosen = ✅ Таңдалды: { $stage }, { $date }, сағат { $time }. Растау келесі хабарламамен келеді.
answer-booked = ✅ Жазылдыңыз: { $date }, сағат { $time }.
answer-rescheduled = 🔁 Ауыстырылды: { $date }, сағат { $time }.
answer-same = Сіз бұл уақытқа жазылып қойғансыз.
answer-already_booked = Бұл кезеңге жазылуыңыз бар. Уақытты өзгерту үшін растау астындағы «🔁 Ауыстыру» түймесін басыңыз.
answer-full = Бұл уақытты жаңа ғана біреу алды. Басқасын таңдаңыз — тізім жаңартылды.
answer-cancelled_slot = Бұл уақыт болдырылмады. Басқасын таңдаңыз — тізім жаңартылды.
answer-too_soon = Бұл уақытқа енді жазылу мүмкін емес. Басқасын таңдаңыз — тізім жаңартылды.
answer-too_late_reschedule = Жазылуды енді ауыстыру мүмкін емес: ауыстыру мерзімі өтті. Одан басталғанға дейін бас тартуға болады.
answer-too_late = Жазылу басталып кетті — оны өзгерту мүмкін емес.
answer-stale = Бұл түйме енді жарамсыз: жазылу немесе өтінім өзгерді.
answer-confirmed = ✅ Рахмет! Сізді күтеміз.
answer-confirmed_same = Сіз жазылуды растап қойғансыз.
answer-cancelled = Жазылу болдырылмады.
answer-cancelled_same = Жазылу бұрын болдырылмаған.
reschedule-title = 🔁 «{ $stage }» кезеңі үшін жаңа уақытты таңдаңыз. Қазір: { $date }, сағат { $time }.
reschedule-none = Қазір «{ $stage }» кезеңіне басқа бос уақыт жоқ. Жазылуыңыз сақталады: { $date }, сағат { $time }.
