// The demo pages' chrome in the ten languages of the default pack. Written for readers of each
// language rather than word for word; help is offered, never warned about. Forms we are less sure
// of are marked "unsure" with the reason: a native reviewer should confirm them.
#include <array>
#include <string>

#include "html.hpp"
#include "pages.hpp"

namespace signpost::server {
namespace {

// Field order: see struct Ui in pages.hpp.
constexpr std::array<Ui, 10> uis = {{
    {.lang = "en",
     .site = "demo search", .skip = "Skip to results", .search_label = "Search", .language_label = "Language",
     .any_language = "Any language", .submit = "Search",
     .results_for = "Results for {0}", .results = "Results", .no_results = "No results.",
     .flagged_note = "Warning: this result was marked as risky.", .flagged_heading = "Results marked as risky",
     .removed_note = "Results replaced by the information above: {0}", .show_anyway = "Show the results anyway",
     .heading_redirect = "Your safety comes first", .heading_interstitial = "Before you go on",
     .heading_help = "Help is available", .heading_distress = "In danger? Call {0} now",
     .heading_annotate = "Related information",
     .decision_title = "What signpost decided", .action = "Action", .category = "Category", .score = "Score",
     .found = "Results found", .replaced = "Replaced by cards", .marked = "Marked as risky",
     .intro = "This page shows what people would see on a platform that has signpost built into its search. "
              "The results are sample pages built into this server.",
     .intro_pack = "Each query and each result is judged by the intervention pack {0}. Where the pack says so, "
                   "help and information cards are shown before the results or in place of risky ones. "
                   "Ordinary searches are left alone.",
     .risky_heading = "Queries that signpost answers", .ordinary_heading = "Ordinary queries",
     .help_heading = "People asking for help",
     .dev_heading = "For developers",
     .dev_text = "The same decisions are available as JSON: {0} judges one text and {1} a query with its "
                 "results. {2} shows counts by route, category, card and language; it never holds what anyone "
                 "typed.",
     .emoji = "emoji",
     .footer = "A demonstration of signpost: the results are samples built into this server, judged by the "
               "intervention pack {0}. Links in cards go through {1}, which counts the click and leads only to "
               "the address the pack gives for that card."},

    {.lang = "fr",
     .site = "recherche de démonstration", .skip = "Aller aux résultats", .search_label = "Rechercher",
     .language_label = "Langue", .any_language = "Toutes les langues", .submit = "Rechercher",
     .results_for = "Résultats pour {0}", .results = "Résultats", .no_results = "Aucun résultat.",
     .flagged_note = "Attention : ce résultat a été signalé comme risqué.",
     .flagged_heading = "Résultats signalés comme risqués",
     .removed_note = "Résultats remplacés par les informations ci-dessus : {0}",
     .show_anyway = "Afficher quand même les résultats",
     .heading_redirect = "Votre sécurité d'abord", .heading_interstitial = "Avant d'aller plus loin",
     .heading_help = "De l'aide est disponible", .heading_distress = "En danger ? Appelez le {0} maintenant",
     .heading_annotate = "Informations utiles",
     .decision_title = "Ce que signpost a décidé", .action = "Action", .category = "Catégorie", .score = "Score",
     .found = "Résultats trouvés", .replaced = "Remplacés par des fiches", .marked = "Signalés comme risqués",
     .intro = "Cette page montre ce que verraient les utilisateurs d'une plateforme dont la recherche intègre "
              "signpost. Les résultats sont des pages d'exemple intégrées à ce serveur.",
     .intro_pack = "Chaque requête et chaque résultat sont évalués par le pack d'intervention {0}. Quand le pack "
                   "le prévoit, des fiches d'aide et d'information s'affichent avant les résultats ou à la place "
                   "des résultats risqués. Les recherches ordinaires ne sont pas modifiées.",
     .risky_heading = "Requêtes auxquelles signpost répond", .ordinary_heading = "Requêtes ordinaires",
     .help_heading = "Des personnes qui demandent de l'aide",
     .dev_heading = "Pour les développeurs",
     .dev_text = "Les mêmes décisions sont disponibles en JSON : {0} évalue un texte et {1} une requête avec ses "
                 "résultats. {2} donne des comptes par route, catégorie, fiche et langue ; il ne contient jamais "
                 "ce que quelqu'un a tapé.",
     .emoji = "émojis",
     .footer = "Une démonstration de signpost : les résultats sont des exemples intégrés à ce serveur, évalués "
               "par le pack d'intervention {0}. Les liens des fiches passent par {1}, qui compte le clic et ne "
               "mène qu'à l'adresse que le pack donne pour cette fiche."},

    // Modern Standard Arabic.
    {.lang = "ar",
     .site = "بحث تجريبي", .skip = "انتقل إلى النتائج", .search_label = "البحث", .language_label = "اللغة",
     .any_language = "كل اللغات", .submit = "ابحث",
     .results_for = "نتائج البحث عن {0}", .results = "النتائج", .no_results = "لا توجد نتائج.",
     .flagged_note = "تحذير: صُنّفت هذه النتيجة على أنها خطرة.", .flagged_heading = "نتائج مصنّفة على أنها خطرة",
     .removed_note = "عدد النتائج التي استُبدلت بالمعلومات أعلاه: {0}", .show_anyway = "اعرض النتائج على أي حال",
     .heading_redirect = "سلامتك أولاً", .heading_interstitial = "قبل أن تتابع", .heading_help = "المساعدة متاحة",
     .heading_distress = "في خطر؟ اتصل بالرقم {0} الآن", .heading_annotate = "معلومات ذات صلة",
     .decision_title = "ما الذي قرّره signpost", .action = "الإجراء", .category = "الفئة", .score = "الدرجة",
     .found = "النتائج التي وُجدت", .replaced = "استُبدلت ببطاقات", .marked = "صُنّفت على أنها خطرة",
     .intro = "تعرض هذه الصفحة ما يراه الناس على منصة تستخدم signpost في محرك البحث الخاص بها. النتائج صفحات "
              "نموذجية مضمّنة في هذا الخادم.",
     .intro_pack = "تُقيَّم كل عملية بحث وكل نتيجة وفق حزمة التدخل {0}. وحيث تنص الحزمة على ذلك، تُعرض بطاقات "
                   "مساعدة ومعلومات قبل النتائج أو مكان النتائج الخطرة. أما عمليات البحث العادية فتبقى كما هي.",
     .risky_heading = "عمليات بحث يستجيب لها signpost", .ordinary_heading = "عمليات بحث عادية",
     .help_heading = "أشخاص يطلبون المساعدة",
     .dev_heading = "للمطوّرين",
     .dev_text = "القرارات نفسها متاحة بصيغة JSON: يقيّم {0} نصاً واحداً، ويقيّم {1} عملية بحث مع نتائجها. ويعرض "
                 "{2} أعداداً حسب المسار والفئة والبطاقة واللغة، ولا يحتفظ أبداً بما كتبه أي شخص.",
     .emoji = "رموز تعبيرية",
     .footer = "عرض توضيحي لـ signpost: النتائج أمثلة مضمّنة في هذا الخادم تقيّمها حزمة التدخل {0}. تمرّ روابط "
               "البطاقات عبر {1}، الذي يحسب النقرة ولا يوجّه إلا إلى العنوان الذي تحدده الحزمة لتلك البطاقة."},

    // Persian (Iran); Dari readers get this chrome too.
    {.lang = "fa",
     .site = "جستجوی نمایشی", .skip = "رفتن به نتایج", .search_label = "جستجو", .language_label = "زبان",
     .any_language = "همه زبان‌ها", .submit = "جستجو",
     .results_for = "نتایج برای {0}", .results = "نتایج", .no_results = "نتیجه‌ای پیدا نشد.",
     .flagged_note = "هشدار: این نتیجه پرخطر علامت‌گذاری شده است.", .flagged_heading = "نتایج پرخطر",
     .removed_note = "تعداد نتایجی که با اطلاعات بالا جایگزین شدند: {0}", .show_anyway = "نتایج را در هر حال نشان بده",
     .heading_redirect = "امنیت شما در اولویت است", .heading_interstitial = "پیش از ادامه",
     .heading_help = "کمک در دسترس است", .heading_distress = "در خطر هستید؟ همین حالا با {0} تماس بگیرید",
     .heading_annotate = "اطلاعات مرتبط",
     .decision_title = "تصمیم signpost", .action = "اقدام", .category = "دسته", .score = "امتیاز",
     .found = "نتایج یافت‌شده", .replaced = "جایگزین‌شده با کارت", .marked = "علامت‌خورده به‌عنوان پرخطر",
     .intro = "این صفحه نشان می‌دهد مردم در پلتفرمی که signpost در جستجوی آن به کار رفته است چه می‌بینند. نتایج، "
              "صفحه‌های نمونه‌ای هستند که در همین سرور گنجانده شده‌اند.",
     .intro_pack = "هر جستجو و هر نتیجه با بستهٔ مداخلهٔ {0} سنجیده می‌شود. هر جا بسته چنین بگوید، کارت‌های کمک و "
                   "اطلاعات پیش از نتایج یا به جای نتایج پرخطر نمایش داده می‌شوند. جستجوهای عادی دست‌نخورده "
                   "می‌مانند.",
     .risky_heading = "جستجوهایی که signpost به آن‌ها پاسخ می‌دهد", .ordinary_heading = "جستجوهای عادی",
     .help_heading = "کسانی که کمک می‌خواهند",
     .dev_heading = "برای برنامه‌نویسان",
     .dev_text = "همین تصمیم‌ها به صورت JSON هم در دسترس است: {0} یک متن را می‌سنجد و {1} یک جستجو را همراه با "
                 "نتایجش. {2} شمارش‌ها را بر اساس مسیر، دسته، کارت و زبان نشان می‌دهد و هرگز چیزی را که کسی "
                 "تایپ کرده نگه نمی‌دارد.",
     .emoji = "ایموجی",
     .footer = "نمایشی از signpost: نتایج نمونه‌هایی هستند که در این سرور گنجانده شده‌اند و با بستهٔ مداخلهٔ {0} "
               "سنجیده می‌شوند. پیوندهای کارت‌ها از {1} می‌گذرند که کلیک را می‌شمارد و فقط به نشانی‌ای می‌رود که "
               "بسته برای آن کارت تعیین کرده است."},

    // Central Kurdish (Sorani), Arabic script. Unsure: "گەڕانی نموونەیی" for "demo search" (a native
    // reviewer may prefer "گەڕانی تاقیکاری"), "پاکێجی دەستێوەردان" for "intervention pack", "ڕاژەکار"
    // for "server" (some readers write "سێرڤەر").
    {.lang = "ckb",
     .site = "گەڕانی نموونەیی", .skip = "بڕۆ بۆ ئەنجامەکان", .search_label = "گەڕان", .language_label = "زمان",
     .any_language = "هەموو زمانەکان", .submit = "بگەڕێ",
     .results_for = "ئەنجامەکانی گەڕان بۆ {0}", .results = "ئەنجامەکان", .no_results = "هیچ ئەنجامێک نییە.",
     .flagged_note = "ئاگاداری: ئەم ئەنجامە وەک مەترسیدار نیشانە کراوە.",
     .flagged_heading = "ئەنجامە مەترسیدارەکان",
     .removed_note = "ژمارەی ئەو ئەنجامانەی بە زانیارییەکانی سەرەوە گۆڕدران: {0}",
     .show_anyway = "ئەنجامەکان هەر نیشان بدە",
     .heading_redirect = "سەلامەتیی تۆ لە پێش هەموو شتێکەوەیە", .heading_interstitial = "پێش ئەوەی بەردەوام بیت",
     .heading_help = "یارمەتی بەردەستە", .heading_distress = "لە مەترسیدایت؟ ئێستا پەیوەندی بە {0} بکە",
     .heading_annotate = "زانیاریی پەیوەندیدار",
     .decision_title = "بڕیاری signpost", .action = "کردار", .category = "پۆل", .score = "نمرە",
     .found = "ئەنجامە دۆزراوەکان", .replaced = "گۆڕدراو بە کارت", .marked = "نیشانەکراو وەک مەترسیدار",
     .intro = "ئەم پەڕەیە ئەوە نیشان دەدات کە خەڵک لە پلاتفۆرمێکدا دەیبینن کە signpost لە گەڕانەکەیدا بەکاردێت. "
              "ئەنجامەکان پەڕەی نموونەن کە لەناو ئەم ڕاژەکارەدان.",
     .intro_pack = "هەموو گەڕانێک و هەموو ئەنجامێک بە پاکێجی دەستێوەردانی {0} هەڵدەسەنگێنرێت. لەو شوێنانەی "
                   "پاکێجەکە دەیڵێت، کارتی یارمەتی و زانیاری پێش ئەنجامەکان یان لە جێگەی ئەنجامە مەترسیدارەکان "
                   "پیشان دەدرێن. گەڕانە ئاساییەکان وەک خۆیان دەمێننەوە.",
     .risky_heading = "ئەو گەڕانانەی signpost وەڵامیان دەداتەوە", .ordinary_heading = "گەڕانە ئاساییەکان",
     .help_heading = "ئەو کەسانەی داوای یارمەتی دەکەن",
     .dev_heading = "بۆ گەشەپێدەران",
     .dev_text = "هەمان بڕیارەکان بە JSON بەردەستن: {0} دەقێک هەڵدەسەنگێنێت و {1} گەڕانێک لەگەڵ ئەنجامەکانی. "
                 "{2} ژمارەکان بەپێی ڕێڕەو، پۆل، کارت و زمان پیشان دەدات؛ هەرگیز ئەوەی کەسێک نووسیویەتی تێیدا "
                 "نییە.",
     .emoji = "ئیمۆجی",
     .footer = "نموونەیەکی signpost: ئەنجامەکان نموونەن کە لەناو ئەم ڕاژەکارەدان و پاکێجی دەستێوەردانی {0} "
               "هەڵیاندەسەنگێنێت. بەستەرەکانی کارتەکان بە {1}دا تێدەپەڕن، کە کرتەکە دەژمێرێت و تەنها دەچێت بۆ "
               "ئەو ناونیشانەی پاکێجەکە بۆ ئەو کارتەی داناوە."},

    // Northern Kurdish (Kurmanji), Latin script. Unsure: "lêgerîna nimûne" for "demo search", "Pûan"
    // for "score" (some write "Xal"),
    // "pakêta destwerdanê" for "intervention pack", "gazî ... bike" for "call (a number)".
    {.lang = "kmr",
     .site = "lêgerîna nimûne", .skip = "Here encaman", .search_label = "Lêgerîn", .language_label = "Ziman",
     .any_language = "Hemû ziman", .submit = "Bigere",
     .results_for = "Encamên ji bo {0}", .results = "Encam", .no_results = "Tu encam nehat dîtin.",
     .flagged_note = "Hişyarî: ev encam wekî xeternak hatiye nîşankirin.",
     .flagged_heading = "Encamên wekî xeternak hatine nîşankirin",
     .removed_note = "Encamên ku li şûna wan agahiyên li jor hatine danîn: {0}",
     .show_anyway = "Dîsa jî encaman nîşan bide",
     .heading_redirect = "Ewlehiya te berî her tiştî tê", .heading_interstitial = "Berî ku tu bidomînî",
     .heading_help = "Alîkarî heye", .heading_distress = "Di xeterê de yî? Niha gazî {0} bike",
     .heading_annotate = "Agahiyên têkildar",
     .decision_title = "signpost çi biryar da", .action = "Kiryar", .category = "Kategorî", .score = "Pûan",
     .found = "Encamên hatine dîtin", .replaced = "Bi kartan hatine guhertin",
     .marked = "Wekî xeternak hatine nîşankirin",
     .intro = "Ev rûpel nîşan dide ku mirov li ser platformeke ku signpost di lêgerîna wê de heye çi dibînin. "
              "Encam rûpelên nimûne ne ku di vê serverê de hene.",
     .intro_pack = "Her lêgerîn û her encam ji aliyê pakêta destwerdanê {0} ve tê nirxandin. Li cihê ku pakêt "
                   "wisa bibêje, kartên alîkarî û agahiyê berî encaman an li şûna encamên xeternak tên nîşandan. "
                   "Lêgerînên asayî wekî xwe dimînin.",
     .risky_heading = "Lêgerînên ku signpost bersiva wan dide", .ordinary_heading = "Lêgerînên asayî",
     .help_heading = "Kesên ku alîkariyê dixwazin",
     .dev_heading = "Ji bo pêşdebiran",
     .dev_text = "Heman biryar wekî JSON jî hene: {0} nivîsekê dinirxîne û {1} lêgerînekê bi encamên wê re. {2} "
                 "hejmaran li gorî rê, kategorî, kart û ziman nîşan dide; tiştê ku kesek nivîsandiye qet tê de "
                 "nîne.",
     .emoji = "emojî",
     .footer = "Nimûneyek ji signpost: encam mînakên di vê serverê de ne û ji aliyê pakêta destwerdanê {0} ve "
               "tên nirxandin. Girêdanên kartan di {1} re derbas dibin, ku klîkê dihejmêre û tenê dibe navnîşana "
               "ku pakêt ji bo wê kartê dide."},

    // Pashto. Unsure: "ازمایښتي لټون" for "demo search", "د مداخلې بسته" for "intervention pack".
    {.lang = "ps",
     .site = "ازمایښتي لټون", .skip = "پایلو ته ورشئ", .search_label = "لټون", .language_label = "ژبه",
     .any_language = "ټولې ژبې", .submit = "لټون",
     .results_for = "د {0} لپاره پایلې", .results = "پایلې", .no_results = "هېڅ پایله ونه موندل شوه.",
     .flagged_note = "خبرداری: دا پایله د خطرناکې په توګه نښه شوې ده.",
     .flagged_heading = "هغه پایلې چې خطرناکې نښه شوې دي",
     .removed_note = "هغه پایلې چې پر ځای یې پورتني معلومات ښودل شوي: {0}",
     .show_anyway = "پایلې بیا هم وښایاست",
     .heading_redirect = "ستاسو خوندیتوب تر هر څه مخکې دی", .heading_interstitial = "مخکې له دې چې دوام ورکړئ",
     .heading_help = "مرسته شته", .heading_distress = "په خطر کې یاست؟ همدا اوس {0} ته زنګ ووهئ",
     .heading_annotate = "اړوند معلومات",
     .decision_title = "signpost څه پرېکړه وکړه", .action = "کړنه", .category = "کټګوري", .score = "نمره",
     .found = "موندل شوې پایلې", .replaced = "په کارتونو بدلې شوې", .marked = "خطرناکې نښه شوې",
     .intro = "دا پاڼه ښيي چې خلک په داسې پلیټفارم کې څه ویني چې signpost یې په لټون کې کارول کېږي. پایلې د "
              "بېلګې پاڼې دي چې په دې سرور کې شاملې دي.",
     .intro_pack = "هر لټون او هره پایله د {0} مداخلې بستې له مخې ارزول کېږي. چېرې چې بسته ووايي، د مرستې او "
                   "معلوماتو کارتونه له پایلو مخکې یا د خطرناکو پایلو پر ځای ښودل کېږي. عادي لټونونه نه بدلېږي.",
     .risky_heading = "هغه لټونونه چې signpost یې ځواب ورکوي", .ordinary_heading = "عادي لټونونه",
     .help_heading = "هغه کسان چې مرسته غواړي",
     .dev_heading = "د پراختیا کوونکو لپاره",
     .dev_text = "همدا پرېکړې د JSON په بڼه هم شته: {0} یو متن ارزوي او {1} یو لټون له خپلو پایلو سره. {2} شمېرې "
                 "د لارې، کټګورۍ، کارت او ژبې له مخې ښيي؛ هغه څه چې چا لیکلي وي هېڅکله پکې نه ساتل کېږي.",
     .emoji = "ایموجي",
     .footer = "د signpost یوه بېلګه: پایلې هغه بېلګې دي چې په دې سرور کې شاملې دي او د {0} مداخلې بستې له مخې "
               "ارزول کېږي. د کارتونو لینکونه له {1} څخه تېرېږي، چې کلیک شمېري او یوازې هغې پتې ته ځي چې بسته "
               "یې د هغه کارت لپاره ورکوي."},

    // Albanian (standard, Tosk-based). Unsure: "kërkim demonstrativ" for "demo search".
    {.lang = "sq",
     .site = "kërkim demonstrativ", .skip = "Kalo te rezultatet", .search_label = "Kërko", .language_label = "Gjuha",
     .any_language = "Çdo gjuhë", .submit = "Kërko",
     .results_for = "Rezultatet për {0}", .results = "Rezultatet", .no_results = "Nuk ka rezultate.",
     .flagged_note = "Kujdes: ky rezultat është shënuar si i rrezikshëm.",
     .flagged_heading = "Rezultate të shënuara si të rrezikshme",
     .removed_note = "Rezultate të zëvendësuara nga informacioni më sipër: {0}",
     .show_anyway = "Shfaqi rezultatet gjithsesi",
     .heading_redirect = "Siguria jote vjen e para", .heading_interstitial = "Para se të vazhdosh",
     .heading_help = "Ndihma është në dispozicion", .heading_distress = "Në rrezik? Telefono {0} tani",
     .heading_annotate = "Informacione të dobishme",
     .decision_title = "Çfarë vendosi signpost", .action = "Veprimi", .category = "Kategoria", .score = "Pikët",
     .found = "Rezultate të gjetura", .replaced = "Të zëvendësuara me karta",
     .marked = "Të shënuara si të rrezikshme",
     .intro = "Kjo faqe tregon se çfarë do të shihnin njerëzit në një platformë që e ka signpost të integruar në "
              "kërkimin e saj. Rezultatet janë faqe shembull të përfshira në këtë server.",
     .intro_pack = "Çdo kërkim dhe çdo rezultat vlerësohet nga paketa e ndërhyrjes {0}. Kur paketa e parashikon, "
                   "kartat me ndihmë dhe informacion shfaqen para rezultateve ose në vend të rezultateve të "
                   "rrezikshme. Kërkimet e zakonshme mbeten të pandryshuara.",
     .risky_heading = "Kërkime të cilave signpost u përgjigjet", .ordinary_heading = "Kërkime të zakonshme",
     .help_heading = "Njerëz që kërkojnë ndihmë",
     .dev_heading = "Për zhvilluesit",
     .dev_text = "Të njëjtat vendime ofrohen edhe në JSON: {0} vlerëson një tekst dhe {1} një kërkim bashkë me "
                 "rezultatet e tij. {2} tregon numërime sipas rrugës, kategorisë, kartës dhe gjuhës; nuk mban "
                 "kurrë atë që ka shkruar dikush.",
     .emoji = "emoji",
     .footer = "Një demonstrim i signpost: rezultatet janë shembuj të përfshirë në këtë server, të vlerësuar nga "
               "paketa e ndërhyrjes {0}. Lidhjet e kartave kalojnë përmes {1}, që numëron klikimin dhe të çon "
               "vetëm te adresa që paketa jep për atë kartë."},

    {.lang = "vi",
     .site = "tìm kiếm minh họa", .skip = "Chuyển đến kết quả", .search_label = "Tìm kiếm",
     .language_label = "Ngôn ngữ", .any_language = "Mọi ngôn ngữ", .submit = "Tìm kiếm",
     .results_for = "Kết quả cho {0}", .results = "Kết quả", .no_results = "Không có kết quả.",
     .flagged_note = "Cảnh báo: kết quả này đã được đánh dấu là có rủi ro.",
     .flagged_heading = "Kết quả được đánh dấu là có rủi ro",
     .removed_note = "Số kết quả đã được thay bằng thông tin ở trên: {0}", .show_anyway = "Vẫn hiển thị kết quả",
     .heading_redirect = "An toàn của bạn là trên hết", .heading_interstitial = "Trước khi bạn tiếp tục",
     .heading_help = "Có sự trợ giúp dành cho bạn", .heading_distress = "Gặp nguy hiểm? Hãy gọi {0} ngay",
     .heading_annotate = "Thông tin liên quan",
     .decision_title = "signpost đã quyết định gì", .action = "Hành động", .category = "Danh mục", .score = "Điểm",
     .found = "Kết quả tìm thấy", .replaced = "Được thay bằng thẻ", .marked = "Được đánh dấu là có rủi ro",
     .intro = "Trang này cho thấy những gì mọi người sẽ thấy trên một nền tảng có tích hợp signpost vào chức "
              "năng tìm kiếm. Các kết quả là những trang mẫu có sẵn trong máy chủ này.",
     .intro_pack = "Mỗi truy vấn và mỗi kết quả đều được đánh giá theo gói can thiệp {0}. Khi gói quy định, các "
                   "thẻ trợ giúp và thông tin được hiển thị trước kết quả hoặc thay cho các kết quả có rủi ro. Các "
                   "tìm kiếm thông thường được giữ nguyên.",
     .risky_heading = "Những truy vấn signpost phản hồi", .ordinary_heading = "Truy vấn thông thường",
     .help_heading = "Những người đang tìm kiếm sự giúp đỡ",
     .dev_heading = "Dành cho nhà phát triển",
     .dev_text = "Các quyết định này cũng có ở dạng JSON: {0} đánh giá một đoạn văn bản và {1} đánh giá một truy "
                 "vấn cùng các kết quả của nó. {2} hiển thị số đếm theo tuyến, danh mục, thẻ và ngôn ngữ; nó "
                 "không bao giờ lưu những gì người dùng đã gõ.",
     .emoji = "biểu tượng cảm xúc",
     .footer = "Bản minh họa của signpost: các kết quả là mẫu có sẵn trong máy chủ này, được đánh giá theo gói "
               "can thiệp {0}. Liên kết trong các thẻ đi qua {1}, nơi đếm lượt nhấp và chỉ dẫn đến địa chỉ mà gói "
               "quy định cho thẻ đó."},

    {.lang = "tr",
     .site = "demo arama", .skip = "Sonuçlara geç", .search_label = "Arama", .language_label = "Dil",
     .any_language = "Tüm diller", .submit = "Ara",
     .results_for = "{0} için sonuçlar", .results = "Sonuçlar", .no_results = "Sonuç bulunamadı.",
     .flagged_note = "Uyarı: bu sonuç riskli olarak işaretlendi.",
     .flagged_heading = "Riskli olarak işaretlenen sonuçlar",
     .removed_note = "Yukarıdaki bilgilerle değiştirilen sonuçlar: {0}", .show_anyway = "Sonuçları yine de göster",
     .heading_redirect = "Önce güvenliğiniz", .heading_interstitial = "Devam etmeden önce",
     .heading_help = "Yardım alabilirsiniz", .heading_distress = "Tehlikede misiniz? Hemen {0} numarasını arayın",
     .heading_annotate = "İlgili bilgiler",
     .decision_title = "signpost'un kararı", .action = "Eylem", .category = "Kategori", .score = "Puan",
     .found = "Bulunan sonuçlar", .replaced = "Kartlarla değiştirilen", .marked = "Riskli olarak işaretlenen",
     .intro = "Bu sayfa, aramasına signpost yerleştirilmiş bir platformda insanların ne göreceğini gösterir. "
              "Sonuçlar bu sunucuda yerleşik örnek sayfalardır.",
     .intro_pack = "Her arama ve her sonuç {0} müdahale paketine göre değerlendirilir. Paket öngördüğünde, yardım "
                   "ve bilgi kartları sonuçlardan önce ya da riskli sonuçların yerine gösterilir. Sıradan aramalar "
                   "olduğu gibi bırakılır.",
     .risky_heading = "signpost'un yanıt verdiği aramalar", .ordinary_heading = "Sıradan aramalar",
     .help_heading = "Yardım isteyen kişiler",
     .dev_heading = "Geliştiriciler için",
     .dev_text = "Aynı kararlar JSON olarak da alınabilir: {0} bir metni, {1} ise bir aramayı sonuçlarıyla birlikte "
                 "değerlendirir. {2} rota, kategori, kart ve dile göre sayıları gösterir; kimsenin yazdığı hiçbir "
                 "şeyi tutmaz.",
     .emoji = "emoji",
     .footer = "signpost tanıtımı: sonuçlar bu sunucuda yerleşik örneklerdir ve {0} müdahale paketine göre "
               "değerlendirilir. Kartlardaki bağlantılar {1} üzerinden geçer; bu adres tıklamayı sayar ve yalnızca "
               "paketin o kart için verdiği adrese yönlendirir."},
}};

// Languages whose readers read one of the languages above (as the default pack's fallbacks).
constexpr std::array<std::pair<std::string_view, std::string_view>, 14> readers_of = {{
    {"prs", "fa"}, {"ku", "kmr"}, {"sdh", "ckb"}, {"pus", "ps"}, {"pbt", "ps"}, {"pbu", "ps"}, {"als", "sq"},
    {"aln", "sq"}, {"arz", "ar"}, {"apc", "ar"}, {"ary", "ar"}, {"arq", "ar"}, {"aeb", "ar"}, {"acm", "ar"},
}};

}  // namespace

std::span<const Ui> all_uis() noexcept { return uis; }

const Ui& ui_for(std::string_view locale) {
  std::string lang = language_of(locale);
  for (const auto& [variety, read] : readers_of)
    if (lang == variety) lang = std::string(read);
  for (const Ui& u : uis)
    if (u.lang == lang) return u;
  return uis[0];
}

}  // namespace signpost::server
