/**
 * The words that tell what a capitalised name is, in English, Russian and Ukrainian: titles
 * before a person's name, the head nouns of organisations and of other named things (laws,
 * programmes, events), regions no country list holds, and the prepositions of place. Short
 * lists of common words, not names: the names themselves come from the text. `entities.ts`
 * folds and stems them, so one form of a Russian or Ukrainian word stands for all of them.
 */

/** Words that stand before a person's name (`President`, `министр`, `пан`). */
export const TITLES: readonly string[] = words(`
  president presidents vice prime minister ministers secretary chancellor senator
  governor mr mrs ms dr king queen pope ambassador general commissioner chairman
  chairwoman chair speaker representative rep sen judge justice director mayor emir
  sheikh prince princess sultan patriarch leader advisor adviser counselor envoy
  spokesperson spokesman deputy head chief congressman congresswoman private sergeant
  lieutenant colonel captain major admiral marshal premier commander officer elect
  excellency extraordinary plenipotentiary lady assistant administrator
  президент президента президенту президентом вице премьер министр министра министру
  министром председатель председателя председателю председателем генеральный
  генерального генеральным секретарь секретаря секретарём секретарем помощник
  помощника губернатор губернатора посол посла султан султаном султана канцлер
  канцлера господин госпожа генерал генерала мэр мэра глава главы командир
  король королева принц патриарх спикер
  президент президента президентові прем'єр міністр міністра міністру міністром
  голова голови головою секретар секретаря помічник посол канцлер канцлеру пан пані
  генерал генерала мер мера керівник керівника командувач спікер лейтенант
  лейтенанту сержант сержанту майор полковник капітан
`);

/** Head nouns of organisations (`Ministry`, `Council`, `совет`, `рада`). */
export const ORG_HEADS = words(`
  ministry department council committee commission organization organisation agency
  union nations bank fund party assembly court office service services parliament
  congress senate house administration institute university corporation company
  association alliance forces army navy guard guards bureau authority group foundation
  board brigade division regiment fleet cabinet government duma rada knesset reichstag staff
  riksdag bundestag politburo secretariat tribunal police center centre academy
  school college centers centres
  министерство министерства совет совета совете комитет комитета комиссия комиссии
  организация организации союз союза банк банка фонд фонда партия партии палата
  палаты собрание собрания служба службы корпорация корпорации агентство агентства
  администрация администрации правительство правительства дума думы суд суда
  управление управления бригада бригады флот флота дивизия дивизии полк полка
  университет университета институт института академия академии центр центра
  госсовет госсовета политбюро кремль кремля
  міністерство міністерства рада ради раді комітет комітету комісія комісії
  організація організації союз союзу банк банку банки фонд фонду партія партії
  палата палати служба служби корпорація корпорації агентство агентства
  адміністрація адміністрації уряд уряду суд суду управління бригада бригади флот
  флоту офіс офісу сили сил нацгвардія нацгвардії парламент парламенту парламенті
  сенат сенату кнесет кнесеті риксдаг риксдагу бундестаг університет інститут
  академія центр центру євросоюз єврокомісія єврокомісії
`);

/**
 * Titles that are more often adjectives (`General Assembly`, `Major Reforms`): they cue a
 * name of two words or more only (`General Mark Milley`).
 */
export const ADJECTIVE_TITLES = words(`
  general major chief first private
`);

/**
 * First words of places and of other things, not of people's names (`North Carolina`, `New
 * York`, `Los Angeles`, `South-South cooperation`).
 */
export const PLACE_OPENERS = words(`
  north south east west northern southern eastern western central new los las san santa
  saint st upper lower great greater euro
`);

/**
 * Heads that name one body on their own (`Congress`, `the Duma`), where `the Government` or
 * `the Council` refers to one without naming it.
 */
export const BODIES = words(`
  congress senate parliament duma rada knesset bundestag riksdag reichstag politburo
  kremlin конгресс конгресса сенат сената парламент парламента дума думы рада ради раді
  кнессет кнесет бундестаг политбюро кремль кремля парламенту парламенті сенату
`);

/** Heads of named things that are neither people, places nor organisations. */
export const OTHER_HEADS = words(`
  program programme games day act order agreement treaty statement declaration
  initiative strategy plan law war palace medal prize award readout letter address
  summit conference forum format festival championship cup olympics year meeting debate
  debates session register convention protocol charter statute memorandum orders force
  goals consensus agenda resolution report island islands lake lakes river sea ocean gulf
  bay mountains valley round age panel affairs package stream pipeline
  meetings talks visit election elections reappointment nominations
  программа программы игры день закон указ указа договор договора соглашение
  война войны войне победы победа премия премии медаль орден ордена
  програма програми ігри день закон указ договір угода війна війни перемога премія
  медаль орден ордена
`);

/**
 * Regions, seas and continents a country list does not hold, and names of countries it
 * lacks, each with its forms; a country's first form is its English name in that list.
 */
export const REGIONS: readonly (readonly string[])[] = [
  [
    "North Korea",
    "Democratic People's Republic of Korea",
    "DPRK",
    "КНДР",
    "Корейская Народно-Демократическая Республика",
  ],
  ["Belarus", "Белоруссия"],
  ["Russia", "Российская Федерация", "Російська Федерація", "РФ"],
  ["Europe", "Европа", "Європа"],
  ["Asia", "Азия", "Азія"],
  ["Africa", "Африка"],
  ["America", "Америка"],
  ["Latin America", "Латинская Америка", "Латинська Америка"],
  ["Middle East", "Ближний Восток", "Близький Схід"],
  ["Red Sea", "Красное море", "Червоне море"],
  ["Black Sea", "Черное море", "Чорне море"],
  ["Baltic Sea", "Балтийское море", "Балтійське море"],
  ["Baltics", "Балтия", "Балтія"],
  ["Gaza", "Газа", "Сектор Газа"],
  ["West Bank", "Западный берег", "Західний берег"],
  ["Crimea", "Крым", "Крим"],
  ["Donbas", "Donbass", "Донбасс", "Донбас"],
  ["Caucasus", "Кавказ"],
  ["South Caucasus", "Transcaucasia", "Закавказье", "Закавказзя"],
  ["Balkans", "Балканы", "Балкани"],
  ["Arctic", "Арктика"],
  ["Antarctica", "Антарктида"],
  ["Indo-Pacific", "Индо-Тихоокеанский регион"],
  ["Sahel", "Сахель"],
];

/**
 * Prepositions after which a capitalised word is most often a place (`in Beijing`, `в Москве`,
 * `у Києві`, `з Димера`).
 */
export const PLACE_PREPOSITIONS = words(`
  in at from to near across
  в во из под над к около возле
  у в з із зі до під біля поблизу
`);

/**
 * Lower-case words that may stand inside a name between capitalised ones (`Ministry of
 * Social Policy`, `Bank for International Settlements`, `Совет при Президенте по науке`).
 */
export const CONNECTORS = words(`
  of for the de la del da von van der du al bin y
  при по и і та з с
`);

/** Forms of `Republic`, `Kingdom` … that may stand before a country's name. */
export const STATE_WORDS = words(`
  republic republics kingdom kingdoms sultanate state states federation
  республика республики республикой республике королевство королевства
  республіка республіки республікою республіці королівство
`);

/**
 * Words of place after a capitalised adjective (`Курская область`, `Odesa region`,
 * `Київська область`): the pair is a place.
 */
export const PLACE_NOUNS = words(`
  region oblast province district
  область области областью областей край края крае район района районе округ округа
  область області областю районі район району
`);

function words(list: string): readonly string[] {
  return list.split(/\s+/).filter(Boolean);
}
