# HR's /stages: the hiring chain's names, checklists and reschedule cut-off.
chain = <b>🪜 Іріктеу кезеңдері</b>
    Үміткер оларды ретімен өтеді. Атауларын, құжаттар тізімін немесе ауыстыру мерзімін өзгерту үшін кезеңді таңдаңыз:
card = <b>{ $number }-кезең</b>
    🇰🇿 { $name_kk }
    🇷🇺 { $name_ru }

    Өзіңізбен алып келу (қаз.):
    { $checklist_kk }
    Өзіңізбен алып келу (орыс.):
    { $checklist_ru }

    Жазылуды басталуына кемінде { $cutoff } { $cutoff ->
        [one] сағат
       *[other] сағат
    } қалғанда ауыстыруға болады.
saved = ✅ Сақталды.
closed = Кезеңдер жабылды. Қайта ашу: /stages.
prompt-name_kk = Кезеңнің қазақша атауын жазыңыз:
prompt-name_ru = Кезеңнің орысша атауын жазыңыз:
prompt-checklist_kk = Тізімді қазақша жазыңыз — әр жолға бір тармақ:
prompt-checklist_ru = Тізімді орысша жазыңыз — әр жолға бір тармақ:
prompt-cutoff = Басталуына неше сағат қалғанда жазылуды әлі ауыстыруға болады? 0-ден 336-ға дейінгі санды жазыңыз, мысалы 12.
button-name_kk = ✏️ Атауы (қаз.)
button-name_ru = ✏️ Атауы (орыс.)
button-checklist_kk = 📋 Тізім (қаз.)
button-checklist_ru = 📋 Тізім (орыс.)
button-cutoff = ⏱ Ауыстыру мерзімі
error-name_missing = Екі тілде де атау керек.
error-name_too_long = Атау тым ұзын: 100 таңбадан аспауы керек.
error-checklist_too_long = Тізімде 20 тармақтан аспауы керек.
error-item_too_long = Тізім тармағы тым ұзын: 200 таңбадан аспауы керек.
error-bad_cutoff = 0-ден 336-ға дейінгі сағат санын жазыңыз.
error-not_text = Мұнда мәтін керек.
error-empty = Бос мәтін жарамайды — кемінде бір сөз жазыңыз.
error-not_found = Бұл кезең енді жоқ.
choose_scope = <b>🪜 Іріктеу кезеңдері</b>
    Кімнің кезеңдер тізбегін ашамыз? Жалпы тізбекті өз тізбегі жоқтардың бәрі өтеді; бөлімге немесе лауазымға жеке тізбек беруге болады.
choose_department = Бөлімді таңдаңыз:
choose_position = Осы бөлімнің лауазымын таңдаңыз:
button-everyone = 🌐 Жалпы тізбек
button-department = 🏢 Бөлім үшін…
button-position = 👤 Лауазым үшін…
button-customize = 🛠 Жеке тізбек жасау
scope-of_everyone = 🌐 Жалпы тізбек
scope-of_department = 🏢 Бөлім: { $name }
scope-of_position = 👤 Лауазым: { $name }
follows-everyone = Жеке тізбек жоқ — қазір жалпы тізбек қолданылады:
follows-department = Жеке тізбек жоқ — қазір бөлімнің тізбегі қолданылады:
customized = ✅ Енді оларда жеке тізбек бар — бұрынғы тізбектің көшірмесі. Оны өзгертуге болады, басқалары өзгермейді.
button-up = ⬆️ Жоғары
button-down = ⬇️ Төмен
button-archive = 🗑 Алып тастау
button-archive_confirm = 🗑 Иә, кезеңді алып тастау
button-add = ➕ Кезең қосу
archive-confirm = «{ $name }» кезеңін тізбектен алып тастаймыз ба?
    Оған жеткендер оны аяқтайды; жазылулар мен нәтижелер сақталады.
archived = 🗑 «{ $name }» кезеңі тізбектен алынды.
moved = ✅ Кезең жылжытылды.
added = ✅ «{ $name }» кезеңі тізбектің соңына қосылды.
add-prompt_kk = <b>➕ Жаңа кезең</b>
    Оның қазақша атауын жазыңыз:
add-prompt_ru = <b>➕ Жаңа кезең</b>
    Қазақша: { $name_kk }
    Енді орысша атауын жазыңыз:
error-first = Кезең онсыз да бірінші.
error-last = Кезең онсыз да соңғы.
