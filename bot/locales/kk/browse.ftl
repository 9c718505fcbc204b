departments_title =
    <b>Бос орындар</b>: { $positions } { $positions ->
        [one] лауазым
       *[other] лауазым
    }, { $headcount } штат { $headcount ->
        [one] бірлігі
       *[other] бірлігі
    }.
    Бөлімді немесе қызметті таңдаңыз:
department_button = { $name } · { $positions } лауазым · { $headcount } бірл.
positions_title =
    <b>{ $department }</b>
    { $positions } { $positions ->
        [one] лауазым
       *[other] лауазым
    }, { $headcount } штат { $headcount ->
        [one] бірлігі
       *[other] бірлігі
    }. Лауазымды таңдаңыз:
position_button = { $title } · { $headcount } бірл.
card-header =
    <b>{ $title }</b>
    🏢 { $department }
    👥 Штат бірлігі: { $headcount }
card-section-education = <b>🎓 Білімі</b>
card-section-experience = <b>💼 Практикалық тәжірибесі</b>
card-section-competences = <b>📚 Құзыреті</b>
card-section-optional = <b>➕ Қосымша міндетті емес талаптар</b>
apply = ✍️ Өтінім беру
search_prompt = Лауазым атауынан бір сөз жазыңыз, мысалы: «жүргізуші», «құтқарушы», «бухгалтер», «диспетчер».
search_results = «{ $query }» сұрауы бойынша табылды: { $count }.
search_nothing = «{ $query }» сұрауы бойынша ештеңе табылмады. Басқа сөзді жазып көріңіз (мысалы, «жүргізуші», «құтқарушы», «бухгалтер») немесе бос орындар тізімін ашыңыз.
link_not_found = Мұндай бос орын жоқ — сілтеме ескірген болуы мүмкін. Өзекті тізімді қараңыз.
