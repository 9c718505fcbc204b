stale = Бұл батырма ескірген. Бөлімді қайта ашыңыз.
stats-title = <b>Жұмысқа қабылдау воронкасы</b> · { $period }
stats-period-7 = соңғы 7 күн
stats-period-30 = соңғы 30 күн
stats-period-all = барлық уақыт
stats-button-7 = 7 күн
stats-button-30 = 30 күн
stats-button-all = Барлық уақыт
stats-button-selected = • { $label } •
stats-button-departments = 🏢 Бөлімдер бойынша
stats-button-funnel = 📊 Воронка
stats-column-step = Қадам
stats-column-people = Адам
stats-column-share = % алд.
stats-note = Әртүрлі адамдар саналады: бір қадамды бірнеше рет жасаған адам бір рет есептеледі. «% алд.» — алдыңғы қадамнан үлесі.
stats-chart_caption =
    📊 Воронка, { $period }. Жолақтардың нөмірлері:
    { $legend }
stats-departments_title =
    <b>Бөлімдер бойынша воронка</b> · { $period }
    Әр қадамдағы адамдар — бос орынды қараудан жұмысқа қабылдауға дейін:
stats-no_activity = Оқиға болмаған: { $names }.
stats-empty = Бұл кезеңде оқиға болған жоқ.
stats-step-started = Диалогты бастады
stats-step-viewed_position = Бос орынды ашты
stats-step-started_questionnaire = Сауалнаманы бастады
stats-step-finished_questionnaire = Сауалнаманы аяқтады
stats-step-met_criteria = Талаптарға сай
stats-step-applied = Өтінім жіберді
stats-step-shortlisted = Қысқа тізімде
stats-step-invited = Шақырылды
stats-step-booked = Кезеңге жазылды
stats-step-attended = Кезеңге келді
stats-step-stage_passed = Кезеңнен өтті
stats-step-hired = Жұмысқа қабылданды
stats-short-viewed_position = ашты
stats-short-started_questionnaire = сауалнама
stats-short-finished_questionnaire = аяқтады
stats-short-met_criteria = сай
stats-short-applied = өтінім
stats-short-shortlisted = қысқа тізім
stats-short-invited = шақырылды
stats-short-booked = жазылды
stats-short-attended = келді
stats-short-stage_passed = кезеңнен өтті
stats-short-hired = қабылданды
export-menu =
    <b>Өтінімдерді Excel-ге (XLSX) түсіру</b>.
    Барлық өтінім: { $total }.
    Бәрін бірден түсіру немесе сүзгілерді таңдау: бөлім → лауазым → мәртебе → кезең.
export-button-all = 📥 Бәрін түсіру
export-button-filters = 🔎 Сүзгілерді таңдау
export-button-run = 📥 Түсіру
export-choose_department =
    <b>Түсіру · 4 қадамның 1-і</b>
    Бөлім немесе қызмет:
export-choose_position =
    <b>Түсіру · 4 қадамның 2-сі</b>
    «{ $department }» бөлімшесіндегі лауазым:
export-choose_status =
    <b>Түсіру · 4 қадамның 3-і</b>
    Өтінімнің мәртебесі:
export-choose_period =
    <b>Түсіру · 4 қадамның 4-і</b>
    Кезең (өтінім күні бойынша):
export-any_department = Барлық бөлімдер
export-any_position = Барлық лауазымдар
export-any_status = Кез келген мәртебе
export-summary =
    <b>Өтінімдерді түсіру</b>
    Бөлім: { $department }
    Лауазым: { $position }
    Мәртебе: { $status }
    Кезең: { $period }
    
    Сәйкес өтінімдер: { $count }.
export-caption = 📄 Файлдағы өтінімдер саны: { $count }.
export-cancelled = Түсіру тоқтатылды.
export-sheet_title = Өтінімдер
export-yes = иә
export-no = жоқ
export-column-number = Өтінім №
export-column-created = Өтінім күні
export-column-position_number = Лауазым №
export-column-position_title = Лауазым
export-column-department = Бөлім / қызмет
export-column-status = Мәртебе
export-column-verdict = Талаптарға сәйкестігі
export-column-full_name = Аты-жөні
export-column-phone = Телефон
export-column-username = Telegram
export-column-cv = Түйіндеме
export-column-comment = Үміткердің түсініктемесі
export-column-decided_by = Шешім қабылдаған (ID)
export-column-decided_at = Шешім күні
export-column-reject_reason = Бас тарту себебі
status-new = Жаңа
status-shortlisted = Қысқа тізімде
status-invited = Шақырылды
status-rejected = Бас тартылды
status-withdrawn = Үміткер кері қайтарып алды
verdict-meets = Сәйкес келеді
verdict-partial = Расталған жағдайда сәйкес келеді
verdict-does_not_meet = Сәйкес келмейді
reject_reason-not_qualified = Талаптарға сәйкес келмейді
reject_reason-position_filled = Бос орын толып қойды
reject_reason-no_response = Байланысқа шықпады
reject_reason-other = Басқа себеп
vac-board_title =
    <b>Бос орындарды басқару</b>
    { $total } { $total ->
        [one] лауазымның
       *[other] лауазымның
    } { $open }-і ашық. Жабық лауазымдар үміткерлерге көрінбейді: олар тізімде, іздеуде, сілтемелерде және ұсыныстарда жоқ.
    Бөлімді таңдаңыз:
vac-department_button = { $name } · ашық { $open }/{ $total }
vac-applicant_view = 👁 Үміткерлер қалай көреді
vac-department_title =
    <b>{ $department }</b>
    ✅ — қабылдау ашық, ⛔ — жабық. Лауазымды таңдаңыз:
vac-position_open = ✅ { $title }
vac-position_open_places = ✅ { $title } · орын: { $places }
vac-position_closed = ⛔ { $title }
vac-position_title =
    <b>{ $title }</b>
    🏢 { $department }
    👥 Штат бірлігі: { $headcount }
    
    Қабылдау: { $state }
    Қазіргі бос орындар саны: { $places }
vac-state_open = ✅ ашық — лауазым үміткерлерге көрінеді
vac-state_closed = ⛔ жабық — лауазым үміткерлерден жасырылған
vac-places_unset = көрсетілмеген
vac-updated = Соңғы өзгеріс: { $when }, қызметкер ID { $by }.
vac-button-close = ⛔ Қабылдауды жабу
vac-button-open = ✅ Қабылдауды ашу
vac-button-places = 🔢 Орын санын көрсету
vac-button-places_unset = Көрсетпеу
vac-closed_note = ⛔ Қабылдау жабылды: лауазым үміткерлерден жасырылды.
vac-opened_note = ✅ Қабылдау ашылды: лауазым үміткерлерге қайта көрінеді.
vac-places_prompt =
    «{ $title }» лауазымына қазір қанша орын ашық?
    0-ден 999-ға дейінгі санды жазыңыз немесе «Көрсетпеу» батырмасын басыңыз.
vac-places_not_a_number = 0-ден 999-ға дейінгі бүтін сан керек, мысалы: 3.
vac-places_out_of_range = Орын саны 0-ден 999-ға дейін болуы керек.
vac-places_use_text = Орын санын хабарлама етіп жазыңыз: 0-ден 999-ға дейін.
vac-places_saved = Сақталды: бос орын саны — { $places }.
vac-places_unset_saved = Сақталды: орын саны көрсетілмеген.
vac-places_cancelled = Орын саны өзгертілмеді.
public-closed = ⛔ Бұл лауазымға қабылдау қазір жабық — өтінім беру мүмкін емес. Басқа бос орындарды қараңыз.
public-link_closed = Бұл бос орын енді қолжетімсіз: оған қабылдау жабылды. Өзекті тізімді қараңыз.
public-places = 🟢 Қазіргі бос орындар саны: { $places }
stats-backlog = ⏳ Кадр бөлімінің чатына кезектегі хабарламалар: { $waiting } (ең ескісі { $minutes } мин күтуде, қатемен: { $failing }).
