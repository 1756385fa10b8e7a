package demo

// Demo content. Text is indexed by locale in the order of Locales: az, en, ru.

var siteName = [3]string{
	"Azərbaycan Respublikasının İnsan Hüquqları üzrə Müvəkkili (Ombudsman)",
	"Commissioner for Human Rights (Ombudsman) of the Republic of Azerbaijan",
	"Уполномоченный по правам человека (Омбудсман) Азербайджанской Республики",
}

const callCenter = "916"

// Categories, in position order.
const (
	catNews = iota
	catEvents
	catReports
	catChildren
	catInternational
)

var categoryData = []struct{ name, desc [3]string }{
	{
		[3]string{"Xəbərlər", "News", "Новости"},
		[3]string{"Ombudsmanın və Ombudsman Aparatının fəaliyyətinə dair xəbərlər.", "News about the work of the Ombudsman and the Ombudsman Office.", "Новости о деятельности Омбудсмана и его Аппарата."},
	},
	{
		[3]string{"Tədbirlər", "Events", "Мероприятия"},
		[3]string{"Konfranslar, seminarlar, təlimlər və maarifləndirici tədbirlər.", "Conferences, seminars, trainings and awareness events.", "Конференции, семинары, тренинги и просветительские мероприятия."},
	},
	{
		[3]string{"Hesabatlar", "Reports", "Доклады"},
		[3]string{"Ombudsmanın illik və xüsusi məruzələri.", "Annual and special reports of the Ombudsman.", "Ежегодные и специальные доклады Омбудсмана."},
	},
	{
		[3]string{"Uşaq hüquqları", "Children's rights", "Права ребёнка"},
		[3]string{"Uşaq hüquqlarının müdafiəsi.", "Protection of the rights of the child.", "Защита прав ребёнка."},
	},
	{
		[3]string{"Beynəlxalq əməkdaşlıq", "International cooperation", "Международное сотрудничество"},
		[3]string{"Beynəlxalq təşkilatlar və xarici təsisatlarla əməkdaşlıq.", "Cooperation with international organisations and foreign institutions.", "Сотрудничество с международными организациями и зарубежными институтами."},
	},
}

// Tags.
const (
	tagChildren = iota
	tagNPM
	tagTraining
	tagLegalAid
	tagUN
	tagCoE
	tagHotline
	tagDisability
	tagWomen
	tagEducation
)

var tagData = [][3]string{
	{"Uşaqlar", "Children", "Дети"},
	{"Milli Preventiv Mexanizm", "National Preventive Mechanism", "Национальный превентивный механизм"},
	{"Təlimlər", "Trainings", "Тренинги"},
	{"Hüquqi yardım", "Legal aid", "Правовая помощь"},
	{"BMT", "United Nations", "ООН"},
	{"Avropa Şurası", "Council of Europe", "Совет Европы"},
	{"916 Çağrı Mərkəzi", "Call center 916", "Колл-центр 916"},
	{"Əlilliyi olan şəxslər", "Persons with disabilities", "Люди с инвалидностью"},
	{"Qadın hüquqları", "Women's rights", "Права женщин"},
	{"Təhsil", "Education", "Образование"},
}

// The fixture article (shared/fixtures/ombudsman-news-2021-02-19.json). The en text is the
// fixture's, byte for byte (including its no-break spaces); az is a translation of it; ru
// has a title and summary only.
type fixtureText struct {
	title, summary string
	body           []string
}

var fixtureEN = fixtureText{
	title:   "Prospects for future cooperation between the Ombudsman Institution and the Office of the UN High Commissioner for Human Rights discussed",
	summary: "Ombudsman Sabina Aliyeva and the OHCHR Senior Human Rights Adviser for South Caucasus discussed by videoconference the development of cooperation under a three-year plan.",
	body: []string{
		"A videoconference was held between the Commissioner for Human Rights (Ombudsman) of the Republic of Azerbaijan, Ms. Sabina Aliyeva, and the\u00a0Senior Human Rights Adviser of the Office of the UN High Commissioner for Human Rights\u00a0(OHCHR) for South Caucasus, Mr. Vladimir Shkolnikov. The meeting was attended by the National Human Rights Adviser of the Baku Office of the OHCHR, Mr. Kamran Bagirov and the head of the Ombudsman\u00a0Office, Mr. Aydin Safikhanli.",
		"During the videoconference, the prospects for the development of relations between the Ombudsman\u00a0Office and the Office of the UN High Commissioner for Human Rights in various areas within the framework of a three-year cooperation plan were discussed.",
		"The Ombudsman Sabina Aliyeva gave broad information about the events conducted during the past period in cooperation with the OHCHR, training on various topics related to human rights, with the participation of lawyers, law students, and representatives of NGOs, including the organization of free legal aid for low-income families in the capital and regions, and emphasized the importance of these activities in terms of protecting human rights.",
		"Ms. Aliyeva noted that as a result of the recent Armenian aggression against Azerbaijan, the norms and principles of international law, the norms of international humanitarian law were grossly violated, civil population and objects were fired using\u00a0internationally banned weapons, which resulted in numerous casualties among the civilians, and destruction of\u00a0houses, historical and cultural monuments, administrative buildings, educational institutions, kindergartens, hospitals, and social\u00a0facilities.\u00a0The Ombudsman also noted that the territories liberated from Armenia have been heavily mined by the occupant forces, as a result of which innocent civilians died, and the population affected by the war experienced psychological trauma.",
		"At the same time, it was proposed that the UN provide\u00a0the necessary support to the psychological assistance project initiated by the Ombudsman in order to prevent post-traumatic stress disorder in war victims.",
		"During the meeting, the parties\u00a0also discussed areas of cooperation in the preparation of bachelor’s and master’s training programs on human rights in higher educational institutions, as well as parallel reports submitted by the Commissioner for Human Rights of Azerbaijan to the UN Treaty Bodies as the National Human Rights Institution\u00a0of Azerbaijan.",
	},
}

var fixtureAZ = fixtureText{
	title:   "Ombudsman təsisatı ilə BMT-nin İnsan Hüquqları üzrə Ali Komissarlığı Ofisi arasında gələcək əməkdaşlığın perspektivləri müzakirə olunub",
	summary: "Ombudsman Səbinə Əliyeva BMT-nin İnsan Hüquqları üzrə Ali Komissarlığı Ofisinin Cənubi Qafqaz üzrə baş məsləhətçisi ilə videokonfransda üç illik plan çərçivəsində əməkdaşlığın inkişafını müzakirə edib.",
	body: []string{
		"Azərbaycan Respublikasının İnsan Hüquqları üzrə Müvəkkili (Ombudsman) Səbinə Əliyeva ilə BMT-nin İnsan Hüquqları üzrə Ali Komissarlığı Ofisinin (OHCHR) Cənubi Qafqaz üzrə baş insan hüquqları məsləhətçisi Vladimir Şkolnikov arasında videokonfrans keçirilib. Görüşdə OHCHR-in Bakı ofisinin insan hüquqları üzrə milli məsləhətçisi Kamran Bağırov və Ombudsman Aparatının rəhbəri Aydın Səfixanlı iştirak ediblər.",
		"Videokonfrans zamanı Ombudsman Aparatı ilə BMT-nin İnsan Hüquqları üzrə Ali Komissarlığı Ofisi arasında üç illik əməkdaşlıq planı çərçivəsində müxtəlif sahələrdə əlaqələrin inkişafı perspektivləri müzakirə olunub.",
		"Ombudsman Səbinə Əliyeva ötən dövrdə OHCHR ilə əməkdaşlıq çərçivəsində keçirilmiş tədbirlər, hüquqşünasların, hüquq fakültələrinin tələbələrinin və QHT nümayəndələrinin iştirakı ilə insan hüquqlarına dair müxtəlif mövzularda təşkil olunmuş təlimlər, o cümlədən paytaxtda və regionlarda aztəminatlı ailələr üçün pulsuz hüquqi yardımın təşkili barədə geniş məlumat verib və bu fəaliyyətin insan hüquqlarının müdafiəsi baxımından əhəmiyyətini vurğulayıb.",
		"S.Əliyeva qeyd edib ki, Ermənistanın Azərbaycana qarşı son təcavüzü nəticəsində beynəlxalq hüququn norma və prinsipləri, beynəlxalq humanitar hüququn normaları kobud şəkildə pozulub, mülki əhali və obyektlər beynəlxalq səviyyədə qadağan olunmuş silahlardan istifadə edilməklə atəşə tutulub, bu da dinc sakinlər arasında çoxsaylı itkilərə, evlərin, tarixi və mədəni abidələrin, inzibati binaların, təhsil müəssisələrinin, uşaq bağçalarının, xəstəxanaların və sosial obyektlərin dağıdılmasına səbəb olub. Ombudsman həmçinin bildirib ki, Ermənistanın işğalından azad edilmiş ərazilər işğalçı qüvvələr tərəfindən kütləvi şəkildə minalanıb, bunun nəticəsində günahsız mülki şəxslər həlak olub, müharibədən zərər çəkmiş əhali isə psixoloji travma yaşayıb.",
		"Eyni zamanda, müharibə qurbanlarında travma sonrası stress pozuntusunun qarşısının alınması məqsədilə Ombudsmanın təşəbbüsü ilə başlanmış psixoloji yardım layihəsinə BMT tərəfindən zəruri dəstəyin göstərilməsi təklif olunub.",
		"Görüşdə tərəflər həmçinin ali təhsil müəssisələrində insan hüquqları üzrə bakalavr və magistr tədris proqramlarının hazırlanması, eləcə də Azərbaycanın İnsan Hüquqları üzrə Müvəkkilinin Azərbaycanın Milli İnsan Hüquqları Təsisatı kimi BMT-nin müqavilə orqanlarına təqdim etdiyi paralel hesabatlar sahəsində əməkdaşlıq istiqamətlərini müzakirə ediblər.",
	},
}

var fixtureRU = fixtureText{
	title:   "Обсуждены перспективы дальнейшего сотрудничества между институтом Омбудсмана и Управлением Верховного комиссара ООН по правам человека",
	summary: "Омбудсман Сабина Алиева и старший советник УВКПЧ ООН по правам человека для Южного Кавказа в ходе видеоконференции обсудили развитие сотрудничества в рамках трёхлетнего плана.",
}

// Second paragraphs, shared by articles on the same theme.
const (
	themeVisit = iota
	themeTraining
	themeReport
	themeChildren
	themeHotline
	themeInternational
	themeAwareness
	themeComplaints
)

var themes = [][3]string{
	themeVisit: {
		"Milli Preventiv Mexanizm mandatı çərçivəsində Ombudsman Aparatının əməkdaşları saxlanma şəraitini, tibbi xidməti və azadlıqdan məhrum edilmiş şəxslərə qarşı rəftarı yoxlayır, onlarla təkbətək söhbət edirlər. Aşkar edilmiş çatışmazlıqlarla bağlı tövsiyələr aidiyyəti dövlət orqanlarına göndərilir.",
		"Within the mandate of the National Preventive Mechanism, staff of the Ombudsman Office examine conditions of detention, medical care and the treatment of persons deprived of liberty, and talk to them in private. Recommendations on the shortcomings found are sent to the relevant state bodies.",
		"В рамках мандата Национального превентивного механизма сотрудники Аппарата Омбудсмана проверяют условия содержания, медицинское обслуживание и обращение с лицами, лишёнными свободы, и беседуют с ними наедине. Рекомендации по выявленным недостаткам направляются в соответствующие государственные органы.",
	},
	themeTraining: {
		"Ombudsman Aparatı bu cür təlimləri dövlət qurumları, universitetlər və vətəndaş cəmiyyəti təşkilatları ilə birgə mütəmadi olaraq təşkil edir. İştirakçılara beynəlxalq insan hüquqları standartları və milli qanunvericiliyə dair materiallar təqdim olunur.",
		"The Ombudsman Office regularly organises such trainings together with state bodies, universities and civil society organisations. Participants receive materials on international human rights standards and national legislation.",
		"Аппарат Омбудсмана регулярно организует такие тренинги совместно с государственными органами, университетами и организациями гражданского общества. Участники получают материалы о международных стандартах в области прав человека и национальном законодательстве.",
	},
	themeReport: {
		"Sənəddə şikayətlərin araşdırılmasının, monitorinq səfərlərinin, maarifləndirmə fəaliyyətinin və beynəlxalq əməkdaşlığın nəticələri əks olunub, insan hüquqlarının müdafiəsinin təkmilləşdirilməsi ilə bağlı dövlət orqanlarına tövsiyələr verilib.",
		"The document reflects the results of the examination of complaints, monitoring visits, educational activities and international cooperation, and contains recommendations to state bodies on improving the protection of human rights.",
		"В документе отражены результаты рассмотрения жалоб, мониторинговых визитов, просветительской деятельности и международного сотрудничества, а также содержатся рекомендации государственным органам по совершенствованию защиты прав человека.",
	},
	themeChildren: {
		"Uşaq hüquqlarının müdafiəsi Ombudsmanın fəaliyyətinin prioritet istiqamətlərindən biridir. Uşaqlar və onların valideynləri Ombudsmana, o cümlədən 916 Çağrı Mərkəzi vasitəsilə, pulsuz müraciət edə bilərlər.",
		"Protecting the rights of the child is one of the priority areas of the Ombudsman's work. Children and their parents can turn to the Ombudsman free of charge, including through the call center 916.",
		"Защита прав ребёнка — одно из приоритетных направлений деятельности Омбудсмана. Дети и их родители могут бесплатно обратиться к Омбудсману, в том числе через колл-центр 916.",
	},
	themeHotline: {
		"916 Çağrı Mərkəzinə zənglər ödənişsizdir. Hər bir müraciət qeydə alınır və araşdırılır, nəticələr barədə vətəndaşlara məlumat verilir.",
		"Calls to the call center 916 are free of charge. Each appeal is registered and examined, and callers are informed of the results.",
		"Звонки в колл-центр 916 бесплатны. Каждое обращение регистрируется и рассматривается, а заявители информируются о результатах.",
	},
	themeInternational: {
		"Ombudsman Aparatı təcrübə mübadiləsi və birgə layihələrin həyata keçirilməsi məqsədilə beynəlxalq təşkilatlar və digər ölkələrin milli insan hüquqları təsisatları ilə əməkdaşlıq edir.",
		"The Ombudsman Office cooperates with international organisations and with national human rights institutions of other countries to exchange experience and carry out joint projects.",
		"Аппарат Омбудсмана сотрудничает с международными организациями и национальными правозащитными учреждениями других стран в целях обмена опытом и реализации совместных проектов.",
	},
	themeAwareness: {
		"Bu cür tədbirlər ictimaiyyətin insan hüquqları və onların müdafiəsi mexanizmləri barədə məlumatlılığının artırılmasına yönəlib.",
		"Such events are intended to raise public awareness of human rights and of the mechanisms available for their protection.",
		"Подобные мероприятия направлены на повышение осведомлённости общества о правах человека и механизмах их защиты.",
	},
	themeComplaints: {
		"Ombudsmana şikayətlər şəxsən, poçt vasitəsilə, elektron qaydada və ya 916 Çağrı Mərkəzi vasitəsilə təqdim oluna bilər. Şikayətlərin araşdırılması ödənişsizdir.",
		"Complaints can be submitted to the Ombudsman in person, by post, electronically or through the call center 916. Their examination is free of charge.",
		"Жалобы можно подать Омбудсману лично, по почте, в электронной форме или через колл-центр 916. Их рассмотрение бесплатно.",
	},
}

// closing ends some articles whose theme does not already mention the call center.
var closing = [3]string{
	"Vətəndaşlar sual və şikayətləri ilə bağlı 916 nömrəsinə zəng edərək Ombudsmana müraciət edə bilərlər.",
	"Citizens can contact the Ombudsman with questions and complaints by calling 916.",
	"Граждане могут обратиться к Омбудсману с вопросами и жалобами по номеру 916.",
}

// tx is one translation of a demo article: its title and lead (the summary and the first
// paragraph). A zero tx means the article is not translated into that locale.
type tx struct{ title, lead string }

type item struct {
	date     string // published, YYYY-MM-DD
	cat      int
	tags     []int
	featured bool
	theme    int
	tx       [3]tx
}

var items = []item{
	{date: "2020-01-22", cat: catNews, tags: []int{tagHotline}, theme: themeHotline, tx: [3]tx{
		{"916 Çağrı Mərkəzi 2019-cu ildəki fəaliyyətini yekunlaşdırıb", "Ombudsmanın 916 Çağrı Mərkəzi ötən ilin fəaliyyətini yekunlaşdırıb. Müraciətlərin əksəriyyəti sosial müdafiə, əmək hüquqları və hüquq-mühafizə orqanlarının fəaliyyəti ilə bağlı olub."},
		{"Call center 916 sums up its work in 2019", "The Ombudsman's call center 916 has summed up its work over the past year. Most calls concerned social protection, labour rights and the work of law enforcement bodies."},
		{"Колл-центр 916 подвёл итоги работы за 2019 год", "Колл-центр Омбудсмана 916 подвёл итоги работы за прошедший год. Большинство обращений касались социальной защиты, трудовых прав и деятельности правоохранительных органов."},
	}},
	{date: "2020-02-12", cat: catEvents, tags: []int{tagTraining, tagWomen}, theme: themeTraining, tx: [3]tx{
		{"Yerli icra hakimiyyəti orqanlarının əməkdaşları üçün gender bərabərliyi mövzusunda seminar keçirilib", "Ombudsman Aparatı yerli icra hakimiyyəti orqanlarının əməkdaşları üçün gender bərabərliyi və məişət zorakılığının qarşısının alınması mövzusunda seminar təşkil edib."},
		{"Seminar on gender equality held for local executive authorities", "The Ombudsman Office held a seminar on gender equality and the prevention of domestic violence for employees of local executive authorities."},
		{"Для сотрудников местных исполнительных органов проведён семинар по гендерному равенству", "Аппарат Омбудсмана провёл для сотрудников местных органов исполнительной власти семинар по гендерному равенству и предотвращению бытового насилия."},
	}},
	{date: "2020-03-05", cat: catReports, featured: true, theme: themeReport, tx: [3]tx{
		{"Ombudsmanın 2019-cu il üzrə illik məruzəsi Milli Məclisə təqdim olunub", "İnsan hüquqları üzrə müvəkkil ölkədə 2019-cu ildə insan hüquqlarının təmin edilməsi və müdafiəsi vəziyyətinə dair illik məruzəni Azərbaycan Respublikasının Milli Məclisinə təqdim edib."},
		{"Ombudsman's annual report for 2019 submitted to the Milli Majlis", "The Commissioner for Human Rights has submitted to the Milli Majlis of the Republic of Azerbaijan the annual report on the observance and protection of human rights in the country in 2019."},
		{"Ежегодный доклад Омбудсмана за 2019 год представлен Милли Меджлису", "Уполномоченный по правам человека представила Милли Меджлису Азербайджанской Республики ежегодный доклад о соблюдении и защите прав человека в стране в 2019 году."},
	}},
	{date: "2020-03-27", cat: catNews, tags: []int{tagHotline}, theme: themeHotline, tx: [3]tx{
		{"Xüsusi karantin rejimi dövründə Ombudsmanın qaynar xətti fəaliyyətini davam etdirir", "Xüsusi karantin rejimi dövründə vətəndaşlar Ombudsman Aparatına şəxsən gəlmədən 916 nömrəsinə zəng etməklə və ya elektron poçt vasitəsilə müraciət edə bilərlər."},
		{"Ombudsman's hotline continues to operate during the quarantine regime", "During the special quarantine regime, citizens can contact the Ombudsman by calling 916 or by e-mail, without visiting the Office in person."},
		{"Горячая линия Омбудсмана продолжает работу в период карантина", "В период особого карантинного режима граждане могут обратиться к Омбудсману по номеру 916 или по электронной почте, не посещая Аппарат лично."},
	}},
	{date: "2020-04-16", cat: catNews, tags: []int{tagNPM}, theme: themeVisit, tx: [3]tx{
		{"Milli Preventiv Qrupun üzvləri penitensiar müəssisələrdə sanitar-gigiyenik tədbirlərlə tanış olublar", "Milli Preventiv Qrupun üzvləri pandemiya dövründə penitensiar müəssisələrdə həyata keçirilən sanitar-gigiyenik və profilaktik tədbirlərlə yerində tanış olublar."},
	}},
	{date: "2020-05-15", cat: catChildren, tags: []int{tagChildren, tagEducation}, theme: themeChildren, tx: [3]tx{
		{"Məktəblilər üçün uşaq hüquqlarına dair onlayn dərslər keçirilib", "Ombudsman Aparatının əməkdaşları məktəblilər üçün uşaq hüquqları və uşaqların kömək üçün hara müraciət edə biləcəkləri barədə onlayn dərslər keçiriblər."},
		{"Online lessons on children's rights held for schoolchildren", "Staff of the Ombudsman Office held online lessons for schoolchildren about the rights of the child and where children can turn for help."},
		{"Для школьников проведены онлайн-уроки о правах ребёнка", "Сотрудники Аппарата Омбудсмана провели для школьников онлайн-уроки о правах ребёнка и о том, куда дети могут обратиться за помощью."},
	}},
	{date: "2020-06-01", cat: catChildren, tags: []int{tagChildren}, featured: true, theme: themeChildren, tx: [3]tx{
		{"Ombudsmanın Beynəlxalq Uşaqları Müdafiə Günü münasibətilə müraciəti", "Ombudsman 1 İyun – Beynəlxalq Uşaqları Müdafiə Günü münasibətilə uşaqlara və valideynlərə müraciət edərək cəmiyyəti uşaq hüquqlarının müdafiəsinə xüsusi diqqət göstərməyə çağırıb."},
		{"Ombudsman's address on the occasion of International Children's Day", "On International Children's Day, the Ombudsman addressed children and parents, calling on society to pay special attention to the protection of children's rights."},
		{"Обращение Омбудсмана по случаю Международного дня защиты детей", "В Международный день защиты детей Омбудсман обратилась к детям и родителям, призвав общество уделять особое внимание защите прав ребёнка."},
	}},
	{date: "2020-06-26", cat: catEvents, tags: []int{tagNPM, tagUN}, theme: themeAwareness, tx: [3]tx{
		{"İşgəncə Qurbanlarına Dəstək Beynəlxalq Günü qeyd olunub", "İşgəncə Qurbanlarına Dəstək Beynəlxalq Günü münasibətilə Ombudsman Aparatında saxlanma yerlərində işgəncə və pis rəftarın qarşısının alınmasına dair onlayn müzakirə keçirilib."},
		{"International Day in Support of Victims of Torture marked", "On the International Day in Support of Victims of Torture, the Ombudsman Office held an online discussion on preventing torture and ill-treatment in places of detention."},
		{"Отмечен Международный день в поддержку жертв пыток", "По случаю Международного дня в поддержку жертв пыток в Аппарате Омбудсмана прошло онлайн-обсуждение мер по предупреждению пыток и жестокого обращения в местах содержания под стражей."},
	}},
	{date: "2020-08-12", cat: catInternational, tags: []int{tagUN, tagChildren}, theme: themeInternational, tx: [3]tx{
		{"Ombudsman və UNİSEF pandemiya dövründə uşaqların müdafiəsini müzakirə ediblər", "Ombudsman UNİSEF-in nümayəndələri ilə onlayn görüşdə COVID-19 pandemiyası dövründə uşaq hüquqlarının müdafiəsi üzrə birgə tədbirləri müzakirə edib."},
		{"Ombudsman and UNICEF discuss child protection during the pandemic", "At an online meeting with representatives of UNICEF, the Ombudsman discussed joint measures to protect children's rights during the COVID-19 pandemic."},
		{"Омбудсман и ЮНИСЕФ обсудили защиту детей в период пандемии", "В ходе онлайн-встречи с представителями ЮНИСЕФ Омбудсман обсудила совместные меры по защите прав детей в период пандемии COVID-19."},
	}},
	{date: "2020-09-21", cat: catNews, tags: []int{tagDisability}, theme: themeAwareness, tx: [3]tx{
		{"İctimai binaların əlilliyi olan şəxslər üçün əlçatanlığı araşdırılıb", "Ombudsman Aparatının əməkdaşları Bakıdakı inzibati binaların, poliklinikaların və ictimai nəqliyyat dayanacaqlarının əlilliyi olan şəxslər üçün əlçatanlığını araşdırıblar."},
		{"Accessibility of public buildings for persons with disabilities examined", "Staff of the Ombudsman Office examined whether administrative buildings, polyclinics and public transport stops in Baku are accessible to persons with disabilities."},
	}},
	{date: "2020-10-15", cat: catEvents, tags: []int{tagEducation}, theme: themeAwareness, tx: [3]tx{
		{"Tələbələr arasında insan hüquqlarına dair esse müsabiqəsi elan olunub", "Ombudsman Aparatı ali təhsil müəssisələrinin tələbələri arasında “İnsan hüquqları və müasir dövr” mövzusunda esse müsabiqəsi elan edib."},
	}},
	{date: "2020-11-20", cat: catChildren, tags: []int{tagChildren}, theme: themeChildren, tx: [3]tx{
		{"Ümumdünya Uşaq Günündə uşaqların müdafiəsinə dair dəyirmi masa keçirilib", "Ümumdünya Uşaq Günü münasibətilə Ombudsman Aparatında dövlət qurumları və vətəndaş cəmiyyəti təşkilatlarının iştirakı ilə uşaq müdafiəsi sisteminin gücləndirilməsinə dair dəyirmi masa keçirilib."},
		{"Round table on child protection held on World Children's Day", "On World Children's Day, the Ombudsman Office held a round table with state bodies and civil society organisations on strengthening the child protection system."},
		{"Во Всемирный день ребёнка прошёл круглый стол по защите детей", "По случаю Всемирного дня ребёнка в Аппарате Омбудсмана прошёл круглый стол с участием государственных органов и организаций гражданского общества, посвящённый укреплению системы защиты детей."},
	}},
	{date: "2020-12-10", cat: catEvents, tags: []int{tagUN}, featured: true, theme: themeAwareness, tx: [3]tx{
		{"Ombudsman Aparatında İnsan Hüquqları Günü qeyd olunub", "İnsan Hüquqları Ümumi Bəyannaməsinin qəbul edilməsinin ildönümü olan İnsan Hüquqları Günü münasibətilə Ombudsman Aparatında dövlət qurumlarının, beynəlxalq təşkilatların və QHT-lərin nümayəndələrinin iştirakı ilə tədbir keçirilib."},
		{"Human Rights Day marked at the Ombudsman Office", "On Human Rights Day, the anniversary of the Universal Declaration of Human Rights, the Ombudsman Office held an event attended by representatives of state bodies, international organisations and NGOs."},
		{"В Аппарате Омбудсмана отметили День прав человека", "По случаю Дня прав человека, годовщины принятия Всеобщей декларации прав человека, в Аппарате Омбудсмана прошло мероприятие с участием представителей государственных органов, международных организаций и НПО."},
	}},
	{date: "2021-01-28", cat: catReports, tags: []int{tagNPM}, theme: themeReport, tx: [3]tx{
		{"Milli Preventiv Mexanizmin 2020-ci ildəki fəaliyyətinə dair hesabat hazırlanıb", "Ombudsman Aparatı işgəncələrə qarşı Milli Preventiv Mexanizm kimi 2020-ci ildə penitensiar müəssisələrə, müvəqqəti saxlama yerlərinə və psixiatriya xəstəxanalarına həyata keçirdiyi başçəkmələrə dair hesabat hazırlayıb."},
		{"Report on the work of the National Preventive Mechanism in 2020 prepared", "The Ombudsman Office has prepared a report on the visits it carried out in 2020 as the National Preventive Mechanism against torture, including to penitentiary institutions, temporary detention facilities and psychiatric hospitals."},
		{"Подготовлен доклад о деятельности Национального превентивного механизма в 2020 году", "Аппарат Омбудсмана подготовил доклад о визитах, проведённых в 2020 году в качестве Национального превентивного механизма против пыток, в том числе в пенитенциарные учреждения, изоляторы временного содержания и психиатрические больницы."},
	}},
	{date: "2021-03-08", cat: catNews, tags: []int{tagWomen}, theme: themeAwareness, tx: [3]tx{
		{"Ombudsman qadınları Beynəlxalq Qadınlar Günü münasibətilə təbrik edib", "Ombudsman 8 Mart – Beynəlxalq Qadınlar Günü münasibətilə qadınları təbrik edib və ictimai həyatın bütün sahələrində qadınlar üçün bərabər imkanların təmin edilməsinin vacibliyini qeyd edib."},
		{"Ombudsman congratulates women on International Women's Day", "The Ombudsman congratulated women on 8 March, International Women's Day, and stressed the importance of ensuring equal opportunities for women in all areas of public life."},
		{"Омбудсман поздравила женщин с Международным женским днём", "Омбудсман поздравила женщин с 8 Марта — Международным женским днём — и отметила важность обеспечения равных возможностей для женщин во всех сферах общественной жизни."},
	}},
	{date: "2021-04-07", cat: catInternational, tags: []int{tagCoE}, theme: themeInternational, tx: [3]tx{
		{"Avropa Şurasının Bakı Ofisi ilə birgə layihələr müzakirə olunub", "Ombudsman Avropa Şurasının Bakı Ofisinin rəhbəri ilə görüşərək insan hüquqları üzrə maarifləndirmə və Avropa standartlarının tətbiqi sahəsində birgə layihələri müzakirə edib."},
		{"Joint projects discussed with the Council of Europe Office in Baku", "The Ombudsman met the head of the Council of Europe Office in Baku to discuss joint projects on human rights education and the application of European standards."},
		{"С Офисом Совета Европы в Баку обсуждены совместные проекты", "Омбудсман встретилась с руководителем Офиса Совета Европы в Баку и обсудила совместные проекты в области просвещения по правам человека и применения европейских стандартов."},
	}},
	{date: "2021-05-18", cat: catEvents, tags: []int{tagTraining, tagLegalAid}, theme: themeTraining, tx: [3]tx{
		{"Vəkillər üçün pulsuz hüquqi yardım mövzusunda təlim keçirilib", "Ombudsman Aparatı vəkillər üçün aztəminatlı ailələrə, əlilliyi olan şəxslərə və digər həssas qruplara pulsuz hüquqi yardımın göstərilməsi mövzusunda təlim keçirib."},
		{"Training on free legal aid held for lawyers", "The Ombudsman Office held a training for lawyers on providing free legal aid to low-income families, persons with disabilities and other vulnerable groups."},
	}},
	{date: "2021-06-15", cat: catNews, tags: []int{tagLegalAid}, theme: themeComplaints, tx: [3]tx{
		{"Ombudsman Gəncə şəhərində vətəndaşları qəbul edib", "Ombudsman Gəncə şəhərində səyyar qəbul keçirərək Gəncə və ətraf rayonlardan olan vətəndaşların müraciətlərini dinləyib."},
	}},
	{date: "2021-07-30", cat: catInternational, tags: []int{tagUN}, theme: themeInternational, tx: [3]tx{
		{"İnsan Alverinə Qarşı Ümumdünya Günü Beynəlxalq Miqrasiya Təşkilatı ilə birgə qeyd olunub", "İnsan Alverinə Qarşı Ümumdünya Günü münasibətilə Ombudsman Aparatı və Beynəlxalq Miqrasiya Təşkilatı gənclər üçün birgə maarifləndirici tədbir keçiriblər."},
		{"World Day against Trafficking in Persons marked together with IOM", "On the World Day against Trafficking in Persons, the Ombudsman Office and the International Organization for Migration held a joint awareness event for young people."},
		{"Всемирный день борьбы с торговлей людьми отмечен совместно с МОМ", "По случаю Всемирного дня борьбы с торговлей людьми Аппарат Омбудсмана и Международная организация по миграции провели совместное просветительское мероприятие для молодёжи."},
	}},
	{date: "2021-09-15", cat: catChildren, tags: []int{tagChildren, tagEducation}, theme: themeChildren, tx: [3]tx{
		{"Yeni tədris ilinin başlanğıcında məktəblərdə monitorinq aparılıb", "Yeni tədris ilinin başlanğıcında Ombudsman Aparatının əməkdaşları Bakı və regionlardakı məktəblərə baş çəkərək şagirdlər, o cümlədən əlilliyi olan uşaqlar üçün yaradılmış şəraitlə tanış olublar."},
		{"Ombudsman's staff monitor schools at the start of the school year", "At the start of the new school year, staff of the Ombudsman Office visited schools in Baku and the regions to see the conditions created for pupils, including children with disabilities."},
		{"В начале учебного года сотрудники Омбудсмана провели мониторинг школ", "В начале нового учебного года сотрудники Аппарата Омбудсмана посетили школы Баку и регионов и ознакомились с условиями, созданными для учащихся, в том числе для детей с инвалидностью."},
	}},
	{date: "2021-10-11", cat: catChildren, tags: []int{tagChildren, tagWomen}, theme: themeChildren, tx: [3]tx{
		{"Beynəlxalq Qız Uşaqları Günü: məktəbli qızlarla görüş", "Beynəlxalq Qız Uşaqları Günü münasibətilə Ombudsman Aparatının əməkdaşları məktəbli qızlarla görüşərək təhsil hüququ və erkən nikahların qarşısının alınması barədə söhbət ediblər."},
		{"International Day of the Girl Child: meeting with schoolgirls", "On the International Day of the Girl Child, staff of the Ombudsman Office met schoolgirls to talk about the right to education and the prevention of early marriage."},
		{"Международный день девочек: встреча со школьницами", "В Международный день девочек сотрудники Аппарата Омбудсмана встретились со школьницами и рассказали о праве на образование и предупреждении ранних браков."},
	}},
	{date: "2021-11-16", cat: catEvents, tags: []int{tagEducation}, theme: themeAwareness, tx: [3]tx{
		{"Beynəlxalq Tolerantlıq Günü: tələbələrlə görüş", "Beynəlxalq Tolerantlıq Günü münasibətilə Ombudsman Aparatında ali məktəb tələbələri ilə multikulturalizm, tolerantlıq və ayrı-seçkiliyə yol verilməməsi mövzusunda görüş keçirilib."},
		{"International Day for Tolerance: meeting with university students", "On the International Day for Tolerance, the Ombudsman Office held a meeting with university students on multiculturalism, tolerance and non-discrimination."},
	}},
	{date: "2021-12-03", cat: catNews, tags: []int{tagDisability}, featured: true, theme: themeAwareness, tx: [3]tx{
		{"Beynəlxalq Əlilliyi Olan Şəxslər Günü münasibətilə tədbir keçirilib", "Beynəlxalq Əlilliyi Olan Şəxslər Günü münasibətilə Ombudsman Aparatında əlilliyi olan şəxslərin inklüziv təhsili, məşğulluğu və ictimai xidmətlərə çıxışı mövzusunda tədbir keçirilib."},
		{"Event held on the International Day of Persons with Disabilities", "On the International Day of Persons with Disabilities, the Ombudsman Office held an event on inclusive education, employment and access to public services for persons with disabilities."},
		{"Проведено мероприятие по случаю Международного дня людей с инвалидностью", "По случаю Международного дня людей с инвалидностью в Аппарате Омбудсмана прошло мероприятие, посвящённое инклюзивному образованию, занятости и доступу людей с инвалидностью к государственным услугам."},
	}},
	{date: "2022-02-17", cat: catNews, tags: []int{tagNPM}, theme: themeVisit, tx: [3]tx{
		{"Milli Preventiv Qrup ahıllar üçün sosial xidmət müəssisəsinə baş çəkib", "Milli Preventiv Qrupun üzvləri ahıllar üçün sosial xidmət müəssisəsinə başçəkmə həyata keçirərək sakinlərin yaşayış şəraitini, tibbi xidmət və qidalanma ilə təminatını yoxlayıblar."},
	}},
	{date: "2022-03-10", cat: catReports, theme: themeReport, tx: [3]tx{
		{"2021-ci il üzrə illik məruzə Milli Məclisdə təqdim olunub", "Ombudsman 2021-ci il üzrə illik məruzəni Milli Məclisin plenar iclasında təqdim edərək deputatları daxil olmuş müraciətlər və dövlət orqanlarına verilmiş tövsiyələr barədə məlumatlandırıb."},
		{"Annual report for 2021 presented to the Milli Majlis", "The Ombudsman presented the annual report for 2021 at a plenary session of the Milli Majlis, informing members of parliament about the complaints received and the recommendations made to state bodies."},
		{"Ежегодный доклад за 2021 год представлен в Милли Меджлисе", "Омбудсман представила ежегодный доклад за 2021 год на пленарном заседании Милли Меджлиса, проинформировав депутатов о поступивших обращениях и рекомендациях, направленных государственным органам."},
	}},
	{date: "2022-04-04", cat: catChildren, tags: []int{tagChildren, tagEducation}, theme: themeChildren, tx: [3]tx{
		{"Uşaqlar üçün mina təhlükəsi barədə maarifləndirici dərslər keçirilib", "Beynəlxalq Mina Təhlükəsi Barədə Maarifləndirmə Günü münasibətilə Ombudsman Aparatının əməkdaşları məktəblilər üçün minaların və partlamamış hərbi sursatların təhlükəsi barədə dərslər keçiriblər."},
		{"Mine awareness lessons held for children", "On the International Day for Mine Awareness, staff of the Ombudsman Office held lessons for schoolchildren on the dangers of mines and unexploded ordnance."},
		{"Для детей проведены уроки о минной опасности", "По случаю Международного дня просвещения по вопросам минной опасности сотрудники Аппарата Омбудсмана провели для школьников уроки об опасности мин и неразорвавшихся боеприпасов."},
	}},
	{date: "2022-05-12", cat: catEvents, tags: []int{tagTraining, tagNPM}, theme: themeTraining, tx: [3]tx{
		{"Polis əməkdaşları üçün işgəncənin qadağan edilməsinə dair təlim keçirilib", "Ombudsman Aparatı polis əməkdaşları üçün işgəncənin mütləq qadağan edilməsi, saxlanılan şəxslərin hüquqları və rəftarın beynəlxalq standartları mövzusunda təlim keçirib."},
		{"Police officers trained on the prohibition of torture", "The Ombudsman Office held a training for police officers on the absolute prohibition of torture, the rights of detained persons and international standards of treatment."},
		{"Для сотрудников полиции проведён тренинг о запрете пыток", "Аппарат Омбудсмана провёл для сотрудников полиции тренинг об абсолютном запрете пыток, правах задержанных и международных стандартах обращения с ними."},
	}},
	{date: "2022-06-20", cat: catInternational, tags: []int{tagUN}, theme: themeInternational, tx: [3]tx{
		{"Ümumdünya Qaçqınlar Günü: Ombudsman BMT-nin Qaçqınlar üzrə Ali Komissarlığının nümayəndələri ilə görüşüb", "Ümumdünya Qaçqınlar Günü münasibətilə Ombudsman BMT-nin Qaçqınlar üzrə Ali Komissarlığının nümayəndələri ilə görüşərək qaçqınların və məcburi köçkünlərin hüquqlarının müdafiəsini müzakirə edib."},
		{"World Refugee Day: Ombudsman meets UNHCR representatives", "On World Refugee Day, the Ombudsman met representatives of the UN Refugee Agency to discuss the protection of the rights of refugees and internally displaced persons."},
		{"Всемирный день беженцев: Омбудсман встретилась с представителями УВКБ ООН", "Во Всемирный день беженцев Омбудсман встретилась с представителями Управления ООН по делам беженцев и обсудила защиту прав беженцев и вынужденных переселенцев."},
	}},
	{date: "2022-08-09", cat: catNews, tags: []int{tagHotline}, theme: themeHotline, tx: [3]tx{
		{"916 Çağrı Mərkəzi sosial müavinətlərlə bağlı suallara cavab verir", "Son dövrdə 916 Çağrı Mərkəzinə daxil olan zənglərin bir çoxu sosial müavinət və pensiyaların təyin edilməsi ilə bağlıdır. Vətəndaşlara qanunvericilik izah edilir, zərurət olduqda isə şikayətləri araşdırılır."},
		{"Call center 916 answers questions about social benefits", "Many of the calls recently received by the call center 916 concern the granting of social benefits and pensions. Callers receive explanations of the legislation and, where necessary, their complaints are examined."},
	}},
	{date: "2022-09-29", cat: catInternational, tags: []int{tagCoE, tagUN}, featured: true, theme: themeInternational, tx: [3]tx{
		{"Ombudsman milli insan hüquqları təsisatlarının beynəlxalq konfransında iştirak edib", "Ombudsman münaqişədən sonrakı vəziyyətlərdə insan hüquqlarının müdafiəsində milli insan hüquqları təsisatlarının rolu mövzusunda beynəlxalq konfransda iştirak edərək Aparatın təcrübəsindən danışıb."},
		{"Ombudsman attends international conference of national human rights institutions", "The Ombudsman took part in an international conference on the role of national human rights institutions in protecting human rights in post-conflict situations and spoke about the experience of the Office."},
		{"Омбудсман приняла участие в международной конференции национальных правозащитных учреждений", "Омбудсман приняла участие в международной конференции о роли национальных правозащитных учреждений в защите прав человека в постконфликтных ситуациях и рассказала об опыте Аппарата."},
	}},
	{date: "2022-10-24", cat: catReports, tags: []int{tagUN}, theme: themeReport, tx: [3]tx{
		{"BMT-nin müqavilə orqanına paralel hesabat təqdim olunub", "Ombudsman Milli İnsan Hüquqları Təsisatı kimi İqtisadi, Sosial və Mədəni Hüquqlar haqqında Beynəlxalq Paktın icrasına dair paralel hesabatı BMT-nin müvafiq komitəsinə təqdim edib."},
		{"Parallel report submitted to a UN treaty body", "As the National Human Rights Institution, the Ombudsman has submitted to the relevant UN committee a parallel report on the implementation of the International Covenant on Economic, Social and Cultural Rights."},
		{"В договорный орган ООН представлен параллельный доклад", "Омбудсман в качестве национального правозащитного учреждения представила в соответствующий комитет ООН параллельный доклад об осуществлении Международного пакта об экономических, социальных и культурных правах."},
	}},
	{date: "2022-12-01", cat: catEvents, tags: []int{tagEducation, tagLegalAid}, theme: themeTraining, tx: [3]tx{
		{"Hüquq fakültəsi tələbələri üçün hüquq klinikası fəaliyyətə başlayıb", "Ombudsman Aparatı hüquq fakültəsi ilə birgə hüquq klinikası yaradıb. Burada tələbələr təcrübəli hüquqşünasların nəzarəti altında vətəndaşlara pulsuz məsləhətlər verirlər."},
		{"Legal clinic for law students launched", "The Ombudsman Office and a law faculty have launched a legal clinic where students, supervised by experienced lawyers, advise citizens free of charge."},
		{"Начала работу юридическая клиника для студентов-юристов", "Аппарат Омбудсмана совместно с юридическим факультетом открыл юридическую клинику, где студенты под руководством опытных юристов бесплатно консультируют граждан."},
	}},
	{date: "2023-01-27", cat: catReports, theme: themeReport, tx: [3]tx{
		{"İnformasiya əldə etmək hüququna dair xüsusi məruzə hazırlanıb", "Ombudsman Aparatı dövlət orqanlarının vətəndaşların və media nümayəndələrinin informasiya sorğularına cavab verməsi təcrübəsinə dair xüsusi məruzə hazırlayıb və onun təkmilləşdirilməsi üçün tövsiyələr verib."},
		{"Special report on the right of access to information prepared", "The Ombudsman Office has prepared a special report on how state bodies respond to information requests from citizens and the media, with recommendations for improving practice."},
	}},
	{date: "2023-03-15", cat: catNews, tags: []int{tagLegalAid}, theme: themeComplaints, tx: [3]tx{
		{"Ombudsmanın müdaxiləsi ilə vətəndaşın pensiya hüququ bərpa olunub", "Ombudsmana daxil olmuş şikayət araşdırıldıqdan sonra aidiyyəti qurumun qərarı yenidən nəzərdən keçirilib və vətəndaşın pensiya hüququ bərpa olunub."},
	}},
	{date: "2023-06-01", cat: catEvents, tags: []int{tagChildren, tagEducation}, theme: themeAwareness, tx: [3]tx{
		{"“Mənim hüquqlarım” uşaq rəsm müsabiqəsinin qalibləri mükafatlandırılıb", "Beynəlxalq Uşaqları Müdafiə Günü münasibətilə Ombudsman ölkənin müxtəlif regionlarından olan məktəblilərin iştirak etdiyi “Mənim hüquqlarım” rəsm müsabiqəsinin qaliblərini mükafatlandırıb."},
		{"Winners of the children's drawing contest “My Rights” awarded", "On International Children's Day, the Ombudsman awarded the winners of the drawing contest “My Rights”, in which schoolchildren from different regions of the country took part."},
		{"Награждены победители детского конкурса рисунков «Мои права»", "В Международный день защиты детей Омбудсман наградила победителей конкурса рисунков «Мои права», в котором приняли участие школьники из разных регионов страны."},
	}},
	{date: "2023-07-05", cat: catChildren, tags: []int{tagChildren}, theme: themeChildren, tx: [3]tx{
		{"Uşaq yay düşərgələrində şərait yoxlanılıb", "Ombudsman Aparatının əməkdaşları uşaq yay düşərgələrinə baş çəkərək təhlükəsizlik, qidanın keyfiyyəti, tibbi xidmət və istirahət şəraiti ilə tanış olublar."},
		{"Conditions in children's summer camps checked", "Staff of the Ombudsman Office visited children's summer camps to check safety, the quality of food, medical care and leisure conditions."},
		{"Проверены условия в детских летних лагерях", "Сотрудники Аппарата Омбудсмана посетили детские летние лагеря и проверили безопасность, качество питания, медицинское обслуживание и условия отдыха."},
	}},
	{date: "2023-07-19", cat: catInternational, tags: []int{tagHotline, tagNPM}, theme: themeInternational, tx: [3]tx{
		{"Xarici ombudsman təsisatlarının əməkdaşları təcrübə səfərində olublar", "Bir neçə ölkənin ombudsman təsisatlarının əməkdaşları 916 Çağrı Mərkəzinin və Milli Preventiv Mexanizmin fəaliyyəti ilə tanış olmaq üçün Aparata təcrübə səfəri həyata keçiriblər."},
		{"Staff of foreign ombudsman institutions on a study visit", "Staff of ombudsman institutions from several countries visited the Office on a study visit to learn about the work of the call center 916 and the National Preventive Mechanism."},
	}},
	{date: "2023-09-08", cat: catNews, tags: []int{tagLegalAid}, theme: themeComplaints, tx: [3]tx{
		{"Ombudsmanın Şəki Regional Mərkəzində açıq qapı günü keçirilib", "Ombudsmanın Şəki Regional Mərkəzində keçirilən açıq qapı günündə regionun sakinləri hüquqi məsələlərlə bağlı məsləhət alıblar."},
	}},
	{date: "2023-10-02", cat: catNews, tags: []int{tagNPM}, theme: themeVisit, tx: [3]tx{
		{"Beynəlxalq Ahıllar Günü münasibətilə ahıllar üçün sosial xidmət müəssisələrinə baş çəkilib", "Beynəlxalq Ahıllar Günü münasibətilə Ombudsman Aparatının əməkdaşları ahıllar üçün sosial xidmət müəssisələrinə baş çəkərək sakinlərlə onların ehtiyacları barədə söhbət ediblər."},
		{"International Day of Older Persons: visits to care homes", "On the occasion of the International Day of Older Persons, staff of the Ombudsman Office visited care homes for the elderly and talked with residents about their needs."},
		{"Международный день пожилых людей: посещение домов-интернатов", "По случаю Международного дня пожилых людей сотрудники Аппарата Омбудсмана посетили дома-интернаты для пожилых людей и побеседовали с проживающими об их нуждах."},
	}},
	{date: "2023-12-08", cat: catEvents, tags: []int{tagUN}, featured: true, theme: themeAwareness, tx: [3]tx{
		{"İnsan Hüquqları Ümumi Bəyannaməsinin 75 illiyi qeyd olunub", "Ombudsmanın təşəbbüsü ilə İnsan Hüquqları Ümumi Bəyannaməsinin qəbul edilməsinin 75 illiyinə həsr olunmuş beynəlxalq konfrans keçirilib."},
		{"75th anniversary of the Universal Declaration of Human Rights marked", "An international conference dedicated to the 75th anniversary of the Universal Declaration of Human Rights was held at the initiative of the Ombudsman."},
		{"Отмечена 75-я годовщина Всеобщей декларации прав человека", "По инициативе Омбудсмана прошла международная конференция, посвящённая 75-летию принятия Всеобщей декларации прав человека."},
	}},
}

// draftItem and scheduledItem are not public (date is unused).
var draftItem = item{cat: catNews, tags: []int{tagLegalAid}, theme: themeComplaints, tx: [3]tx{
	{"Ombudsman Lənkəran şəhərində vətəndaşları qəbul edəcək", "Ombudsman Lənkəran və qonşu rayonlardan olan vətəndaşları qəbul edəcək. Qəbula əvvəlcədən 916 Çağrı Mərkəzi vasitəsilə yazılmaq mümkündür."},
	{"Ombudsman to receive citizens in Lankaran", "The Ombudsman will receive citizens from Lankaran and neighbouring districts. Appointments can be made in advance through the call center 916."},
}}

var scheduledItem = item{cat: catChildren, tags: []int{tagChildren, tagEducation}, theme: themeChildren, tx: [3]tx{
	{"Ombudsman Aparatı məktəblilər arasında insan hüquqlarına dair inşa müsabiqəsi elan edir", "12–17 yaşlı məktəblilər “Həyatımda uşaq hüquqları” mövzusunda inşa yazmağa dəvət olunurlar."},
	{"Ombudsman Office announces a human rights essay contest for schoolchildren", "Schoolchildren aged 12 to 17 are invited to write an essay on the theme “The rights of the child in my life”."},
	{"Аппарат Омбудсмана объявляет конкурс сочинений о правах человека среди школьников", "Школьникам в возрасте от 12 до 17 лет предлагается написать сочинение на тему «Права ребёнка в моей жизни»."},
}}
