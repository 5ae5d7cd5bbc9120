#!/usr/bin/env bash
# events_arabic.sh: displacement events of reports written in Arabic
# (tests/fixtures/events_arabic.jsonl, written for the project): the
# Arabic entries of the event lexicon (events_*.tsv) with the resolver's
# Arabic names and cues, end to end through `annotate` into a database.
# Per event: report, type, status, role, place id, people, date and its
# precision; the whole list must match. Covers tahjir and nuzuh (forced displacement), ijla' and the
# green buses (evacuation), farra (flight), hisar (siege), 'ada (return;
# also with its place seven words after it, past the people counted
# after the verb as its subject: "عاد مئات النازحين إلى قراهم في ريف حماة");
# min and ila (origin, destination), bi-ittijah (toward), "مهجري X" (the
# displaced of X: origin); and and in joined to the next word ("من إدلب
# وريف حلب": rural Aleppo, the governorate, is an origin too; "كفرنبل
# بريف إدلب": rural Idlib is Kafranbel's area, no event place; "وإلى":
# and to; "لمدينة حلب": of the city of Aleppo), as is "حي الوعر في
# مدينة حمص" (Homs is al-Waer's city); the compass: "تل رفعت شمال حلب"
# (north of Aleppo: no event there), "جنوب ريف إدلب" (southern rural
# Idlib: an event place); a trigger with a letter joined to it ("بالعودة",
# with the return); "محافظة إدلب" (Idlib governorate: the area, though
# GeoNames gives the city that name); "العاصمة دمشق" (the capital,
# Damascus: no Amman); the dual ("ريفي حماة وإدلب", the countrysides of
# Hama and Idlib: both governorates;
# "بلدتي كفريا والفوعة", the two towns of Kefraya and Foua, whose Arabic
# names the curated rows hold); a count written with its tanween
# ("١٥٢٣٧٤ مدنياً"); "وصلت" (arrived, with a count) and "قادمة من"
# (coming from); "بيت سحم" (Beit Sahem, an Arabic name of the curated
# row); 'adat (returned, feminine); nafa (denied)
# and yuhaddid (threatened); counts in Arabic-Indic digits (١٥٠٠, ٥٠٠٠),
# "آلاف المدنيين" (thousands of civilians, no word for "of") and "مئات
# النازحين", each clause's own count where an Arabic comma divides a
# sentence; dates: a weekday, "yesterday", "last December", a day with a
# Levantine month in Arabic-Indic digits, a month and year. Skips (77)
# without the default gazetteer.
. "$(dirname "$0")/lib/annotated_events.sh"
annotated_events "$GA_SOURCE_DIR/tests/fixtures/events_arabic.jsonl" "$tmp/events.tsv" \
    "e.event_date, e.time_precision"
cat >"$tmp/expected.tsv" <<'TSV'
ar-arrived-coming-from	flight	reported	destination	curated:sy-atmeh	700	2018-08-10	2
ar-arrived-coming-from	flight	reported	destination	curated:sy-sarmada	700	2018-08-10	2
ar-arrived-coming-from	flight	reported	origin	ne:SYR-138	700	2018-08-10	2
ar-buses-south-damascus	evacuation	reported	origin	curated:sy-yalda		2018-05-07	2
ar-buses-south-damascus	evacuation	reported	origin	geonames:171998		2018-05-07	2
ar-buses-south-damascus	evacuation	reported	origin	curated:sy-beit-sahem		2018-05-07	2
ar-compass	forced_displacement	reported	destination	geonames:163476	300	2019-04-02	2
ar-compass	forced_displacement	reported	origin	ne:SYR-140		2019-04-02	2
ar-date-full	forced_displacement	reported	origin	geonames:170592	5000	2017-03-15	1
ar-date-last-december	flight	reported	origin	geonames:170063	200	2015-12-01	3
ar-date-last-december	flight	reported	destination	geonames:169389	200	2015-12-01	3
ar-date-month-year	flight	reported	origin	geonames:164816	2000	2016-11-01	3
ar-date-thursday	evacuation	reported	origin	curated:sy-homs-al-waer		2017-03-16	1
ar-date-thursday	evacuation	reported	destination	geonames:169179		2017-03-16	1
ar-date-yesterday	evacuation	reported	origin	geonames:170892		2016-11-19	1
ar-denied-daraya	forced_displacement	denied	site	geonames:170892		2016-08-20	2
ar-displacement-douma	forced_displacement	reported	origin	geonames:170592	5000	2018-04-02	2
ar-dual-countryside	forced_displacement	reported	origin	ne:SYR-138	152374	2019-05-10	2
ar-dual-countryside	forced_displacement	reported	origin	ne:SYR-140	152374	2019-05-10	2
ar-dual-towns	forced_displacement	reported	origin	curated:sy-kefraya		2017-04-14	2
ar-dual-towns	forced_displacement	reported	origin	curated:sy-foua		2017-04-14	2
ar-evacuation-daraya	evacuation	reported	origin	geonames:170892		2016-08-26	2
ar-evacuation-daraya	evacuation	reported	destination	geonames:169389		2016-08-26	2
ar-evacuation-waer	evacuation	reported	origin	curated:sy-homs-al-waer	1500	2017-03-18	1
ar-evacuation-waer	evacuation	reported	destination	geonames:169179	1500	2017-03-18	1
ar-flight-maarat	flight	reported	origin	geonames:167611	2000	2019-12-24	2
ar-flight-maarat	flight	reported	origin	geonames:164816	2000	2019-12-24	2
ar-governorate-word	evacuation	reported	origin	curated:sy-moadamiyat-al-sham	300	2016-09-01	2
ar-governorate-word	evacuation	reported	destination	ne:SYR-140	300	2016-09-01	2
ar-joined-and-rural	forced_displacement	reported	origin	geonames:169389	3000	2020-01-18	1
ar-joined-and-rural	forced_displacement	reported	origin	ne:SYR-137	3000	2020-01-18	1
ar-joined-in-rural	forced_displacement	reported	origin	geonames:168661	200	2019-05-12	2
ar-joined-in-rural	forced_displacement	reported	destination	curated:sy-atmeh	200	2019-05-12	2
ar-joined-of	evacuation	reported	origin	geonames:170063		2016-12-15	2
ar-joined-of	evacuation	reported	destination	ne:SYR-137		2016-12-15	2
ar-joined-of	evacuation	reported	destination	geonames:169389		2016-12-15	2
ar-joined-trigger	return	reported	site	ne:SYR-140	2000	2020-03-05	2
ar-origin-displaced-of	forced_displacement	reported	origin	curated:sy-eastern-ghouta		2018-03-25	2
ar-origin-displaced-of	forced_displacement	reported	destination	geonames:166227		2018-03-25	2
ar-return-feminine	return	reported	destination	geonames:168661	300	2019-06-20	2
ar-return-khan-shaykhun	return	reported	destination	geonames:168325	200	2018-06-01	2
ar-return-rural-hama	return	reported	site	ne:SYR-138	200	2018-08-12	2
ar-siege-madaya	siege	reported	site	geonames:167558		2016-01-10	2
ar-the-capital	flight	reported	origin	curated:sy-eastern-ghouta	200	2018-02-25	2
ar-the-capital	flight	reported	destination	geonames:170654	200	2018-02-25	2
ar-threatened-zabadani	forced_displacement	threatened	site	geonames:172059		2017-03-01	2
ar-two-clauses	forced_displacement	reported	origin	geonames:164816	5000	2016-08-20	2
ar-two-clauses	forced_displacement	reported	destination	curated:sy-sarmada	5000	2016-08-20	2
ar-two-clauses	forced_displacement	reported	site	geonames:170892		2016-08-20	2
ar-two-clauses	forced_displacement	reported	destination	geonames:169389		2016-08-20	2
TSV
diff -u "$tmp/expected.tsv" "$tmp/events.tsv" >&2 ||
    fail "the Arabic reports' events differ (diff above: - expected, + now)"
# a clause's own origin and destination: Daraya's event of the two
# clauses goes to Idlib from no origin, not from Saraqeb to Sarmada
od=$(sqlite3 "$tmp/ev.sqlite" "SELECT coalesce(e.origin_name, '-') || ' > ' || coalesce(e.dest_name, '-')
    FROM events e JOIN documents d ON d.id = e.document_id
    WHERE d.doc_id = 'ar-two-clauses' AND e.place_gid = 'geonames:170892'")
[ "$od" = "- > Idlib" ] || fail "origin and destination of Daraya's clause: $od"
# the actors of actors.tsv's Arabic section: "قوات النظام" (regime
# forces), "النظام" (the regime)
a=$(sqlite3 "$tmp/ev.sqlite" "SELECT group_concat(d.doc_id || ' ' || e.actors, '; ') FROM events e
    JOIN documents d ON d.id = e.document_id WHERE e.actors IS NOT NULL AND e.actors != '[]'")
[ "$a" = 'ar-siege-madaya ["Syrian government"]; ar-threatened-zabadani ["Syrian government"]' ] ||
    fail "actors of the Arabic reports: $a"
# the months (أشهر), "the Syrian" (السوري), "district" (حي), "green"
# (الخضراء) and "Thursday" (الخميس) are no places: Alaşehir, Surrey, Al
# Hayy, Rahat and Khemis Miliana had been found in these reports
n=$(sqlite3 "$tmp/ev.sqlite" "SELECT count(*) FROM mentions WHERE text IN ('أشهر', 'السوري', 'حي', 'الخضراء', 'الخميس')")
[ "$n" = 0 ] || fail "$n Arabic common words reported as places"
echo "events_arabic: $(wc -l <"$tmp/events.tsv") events as expected"
