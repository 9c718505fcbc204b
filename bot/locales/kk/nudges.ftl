# Nobody waits in silence (bot/rendering/nudges.py): HR's digest, «still under review», the
# drop-off reminders (the questionnaire's, the application form's).
digest-title = ⏰ <b>48 сағаттан астам шешімсіз</b>: { $count } { $count ->
        [one] өтінім
       *[other] өтінім
    }
digest-line = • № { $number } · { $title } · { $days } { $days ->
        [one] күн
       *[other] күн
    } күтуде
digest-card = карточка
digest-more = …тағы { $count }
review-text = «{ $title }» лауазымына № { $number } өтініміңіз әлі қаралуда. Кадрлар бөлімі сізге осы ботта жауап береді.
dropoff-text = Сіз «{ $title }» лауазымына арналған сауалнаманың { $total } сұрағының { $step }-сұрағында тоқтадыңыз. Жалғастырасыз ба?
dropoff-continue = ▶️ Жалғастыру
dropoff-stop = Қызықты емес
dropoff-stopped = Жақсы, сауалнама жабылды — енді еске салмаймыз.
form-text = Сіз «{ $title }» лауазымына өтінімді аяқтамадыңыз: { $remaining ->
        [one] { $remaining } қадам қалды.
       *[other] { $remaining } қадам қалды.
    } Енгізгеніңіздің бәрі сақталған. Жалғастырасыз ба?
form-review = Сіз «{ $title }» лауазымына өтінімді аяқтамадыңыз: тек тексеріп, жіберу ғана қалды. Енгізгеніңіздің бәрі сақталған. Жалғастырасыз ба?
form-stopped = Жақсы, өтінім жабылды — енді еске салмаймыз.
