"""The demo's full data processing agreement (version 2026.2), Danish source and English translation.

Built on Datatilsynet's standard agreement (the Commission's standard contractual clauses, Implementing
Decision (EU) 2021/915): the clauses follow its order and cover each point of GDPR art. 28(3); Annexes C and
D are their own fields (see models.py), Annexes A and B are generated. Each entry is one block, (tag,
Danish, English): wagtail-localize makes one segment per block, so the English version is a real
translation of the Danish. Every statement about the service was checked against docs/security.md and the
code; what the code cannot show (organisational measures, notice periods) is written as the processor's
obligation, not as a fact. The breach deadline (48 hours) is stated in one place only, clause 9.2.
"""

BREACH_HOURS = 48

BODY = [
    ("h2", "1. Præambel", "1. Preamble"),
    (
        "p",
        "1.1 Disse bestemmelser fastsætter databehandlerens rettigheder og forpligtelser, når denne "
        "foretager behandling af personoplysninger på vegne af den dataansvarlige. Den dataansvarlige er den "
        "virksomhed, der har accepteret bestemmelserne i HR-portalen, og databehandleren er Ansatte.",
        "1.1 These Clauses set out the rights and obligations of the data processor when processing personal "
        "data on behalf of the data controller. The data controller is the company that has accepted the "
        "Clauses in the HR portal, and the data processor is Ansatte.",
    ),
    (
        "p",
        "1.2 Bestemmelserne er udformet med henblik på parternes efterlevelse af artikel 28, stk. 3, i "
        "Europa-Parlamentets og Rådets forordning (EU) 2016/679 (databeskyttelsesforordningen) og følger "
        "Datatilsynets standardkontrakt og Europa-Kommissionens standardkontraktbestemmelser "
        "(gennemførelsesafgørelse (EU) 2021/915).",
        "1.2 The Clauses have been designed to ensure the parties' compliance with Article 28(3) of "
        "Regulation (EU) 2016/679 of the European Parliament and of the Council (the General Data Protection "
        "Regulation) and follow the standard contractual clauses of the Danish Data Protection Agency "
        "(Datatilsynet) and of the European Commission (Implementing Decision (EU) 2021/915).",
    ),
    (
        "p",
        "1.3 Bestemmelserne har fire bilag: bilag A indeholder oplysninger om behandlingen, bilag B den "
        "dataansvarliges godkendte underdatabehandlere, bilag C den dataansvarliges instruks og de aftalte "
        "sikkerhedsforanstaltninger, og bilag D parternes regulering af andre forhold.",
        "1.3 The Clauses have four annexes: Annex A contains information about the processing, Annex B the "
        "sub-processors authorised by the data controller, Annex C the data controller's instructions and "
        "the agreed security measures, and Annex D the parties' terms on other subjects.",
    ),
    (
        "p",
        "1.4 Bestemmelserne frigør ikke databehandleren fra de forpligtelser, som databehandleren er pålagt "
        "efter databeskyttelsesforordningen eller anden lovgivning.",
        "1.4 The Clauses do not exempt the data processor from obligations to which the data processor is "
        "subject under the General Data Protection Regulation or other legislation.",
    ),
    (
        "h2",
        "2. Den dataansvarliges rettigheder og forpligtelser",
        "2. The rights and obligations of the data controller",
    ),
    (
        "p",
        "2.1 Den dataansvarlige er ansvarlig for at sikre, at behandlingen af personoplysninger sker i "
        "overensstemmelse med databeskyttelsesforordningen, databeskyttelsesloven og anden gældende "
        "EU-ret eller national ret. Den dataansvarlige har ret og pligt til at træffe beslutninger om, til "
        "hvilke formål og med hvilke hjælpemidler der må foretages behandling af personoplysninger.",
        "2.1 The data controller is responsible for ensuring that the processing of personal data takes "
        "place in compliance with the General Data Protection Regulation, the Danish Data Protection Act and "
        "other applicable Union or Member State law. The data controller has the right and obligation to "
        "make decisions about the purposes and means of the processing of personal data.",
    ),
    (
        "p",
        "2.2 Den dataansvarlige er blandt andet ansvarlig for, at der er et behandlingsgrundlag for den "
        "behandling, databehandleren instrueres i at foretage, og for at de oplysninger, den dataansvarliges "
        "brugere indtaster i portalen, er korrekte og ajourførte.",
        "2.2 The data controller shall be responsible, among other things, for ensuring that the processing "
        "of personal data which the data processor is instructed to perform has a legal basis, and that the "
        "data the data controller's users enter in the portal are accurate and kept up to date.",
    ),
    (
        "h2",
        "3. Databehandleren handler efter instruks",
        "3. The data processor acts according to instructions",
    ),
    (
        "p",
        "3.1 Databehandleren må kun behandle personoplysninger efter dokumenteret instruks fra den "
        "dataansvarlige, herunder for så vidt angår overførsel af personoplysninger til tredjelande eller "
        "internationale organisationer, medmindre det kræves i henhold til EU-ret eller national ret, som "
        "databehandleren er underlagt. I så fald underretter databehandleren den dataansvarlige om dette "
        "retlige krav inden behandlingen, medmindre den pågældende ret forbyder en sådan underretning af "
        "hensyn til vigtige samfundsmæssige interesser.",
        "3.1 The data processor shall process personal data only on documented instructions from the data "
        "controller, including with regard to transfers of personal data to a third country or an "
        "international organisation, unless required to do so by Union or Member State law to which the "
        "data processor is subject. In such a case, the data processor shall inform the data controller of "
        "that legal requirement before processing, unless that law prohibits such information on important "
        "grounds of public interest.",
    ),
    (
        "p",
        "3.2 Instruksen fremgår af bilag A og C. Den dataansvarlige kan give yderligere instrukser gennem "
        "hele behandlingen, og det, den dataansvarliges brugere gør i portalen, er en del af instruksen. "
        "Instrukserne skal altid dokumenteres.",
        "3.2 The instructions are set out in Annexes A and C. The data controller may give further "
        "instructions throughout the processing, and what the data controller's users do in the portal forms "
        "part of the instructions. Instructions shall always be documented.",
    ),
    (
        "p",
        "3.3 Databehandleren underretter omgående den dataansvarlige, hvis en instruks efter "
        "databehandlerens opfattelse er i strid med databeskyttelsesforordningen eller databeskyttelses"
        "bestemmelser i anden EU-ret eller national ret.",
        "3.3 The data processor shall immediately inform the data controller if, in the data processor's "
        "opinion, an instruction infringes the General Data Protection Regulation or other Union or Member "
        "State data protection provisions.",
    ),
    ("h2", "4. Fortrolighed", "4. Confidentiality"),
    (
        "p",
        "4.1 Databehandleren må kun give adgang til personoplysninger, som behandles på den dataansvarliges "
        "vegne, til personer, som er underlagt databehandlerens instruktionsbeføjelser, som har forpligtet "
        "sig til fortrolighed eller er underlagt en passende lovbestemt tavshedspligt, og kun i det omfang, "
        "det er nødvendigt. Listen over personer, som har fået tildelt adgang, skal løbende gennemgås, og "
        "adgangen lukkes, når den ikke længere er nødvendig.",
        "4.1 The data processor shall only grant access to the personal data being processed on behalf of "
        "the data controller to persons under the data processor's authority who have committed themselves "
        "to confidentiality or are under an appropriate statutory obligation of confidentiality, and only on "
        "a need-to-know basis. The list of persons to whom access has been granted shall be kept under "
        "periodic review, and access shall be withdrawn when it is no longer necessary.",
    ),
    (
        "p",
        "4.2 Databehandlerens medarbejdere får kun adgang til den dataansvarliges oplysninger i portalen, "
        "mens den dataansvarlige har givet en aktiv fuldmagt hertil, og hver af deres handlinger registreres "
        "i den dataansvarliges aktivitetslog. Databehandleren skal efter anmodning fra den dataansvarlige "
        "kunne påvise, at de pågældende personer er underlagt ovennævnte tavshedspligt.",
        "4.2 The data processor's staff have access to the data controller's data in the portal only while "
        "the data controller has granted an active power of attorney for it, and each of their actions is "
        "recorded in the data controller's audit log. At the request of the data controller, the data "
        "processor shall be able to demonstrate that the persons concerned are subject to the above "
        "confidentiality.",
    ),
    ("h2", "5. Behandlingssikkerhed", "5. Security of processing"),
    (
        "p",
        "5.1 Databehandleren gennemfører alle foranstaltninger, som kræves i henhold til "
        "databeskyttelsesforordningens artikel 32, under hensyntagen til det aktuelle tekniske niveau, "
        "implementeringsomkostningerne og den pågældende behandlings karakter, omfang, sammenhæng og formål "
        "samt risiciene af varierende sandsynlighed og alvor for fysiske personers rettigheder og "
        "frihedsrettigheder. Foranstaltningerne skal sikre et sikkerhedsniveau, der passer til disse risici.",
        "5.1 The data processor shall implement all measures required pursuant to Article 32 of the General "
        "Data Protection Regulation, taking into account the state of the art, the costs of implementation "
        "and the nature, scope, context and purposes of the processing, as well as the risk of varying "
        "likelihood and severity for the rights and freedoms of natural persons. The measures shall ensure a "
        "level of security appropriate to that risk.",
    ),
    (
        "p",
        "5.2 De foranstaltninger, parterne har aftalt, fremgår af bilag C.2. Databehandleren må ikke "
        "forringe dem i aftalens løbetid.",
        "5.2 The measures agreed by the parties are set out in Annex C.2. The data processor shall not "
        "reduce them during the term of the Clauses.",
    ),
    ("h2", "6. Anvendelse af underdatabehandlere", "6. Use of sub-processors"),
    (
        "p",
        "6.1 Databehandleren skal opfylde de betingelser, der er omhandlet i databeskyttelsesforordningens "
        "artikel 28, stk. 2 og 4, for at gøre brug af en anden databehandler (en underdatabehandler).",
        "6.1 The data processor shall meet the requirements specified in Article 28(2) and (4) of the "
        "General Data Protection Regulation in order to engage another processor (a sub-processor).",
    ),
    (
        "p",
        "6.2 Databehandleren har den dataansvarliges generelle skriftlige godkendelse til at gøre brug af "
        "underdatabehandlere. Databehandleren underretter skriftligt den dataansvarlige om eventuelle "
        "planlagte ændringer vedrørende tilføjelse eller udskiftning af underdatabehandlere med mindst 30 "
        "dages varsel og giver dermed den dataansvarlige mulighed for at gøre indsigelse mod sådanne "
        "ændringer, inden de pågældende underdatabehandlere tages i brug. Den dataansvarliges indsigelse "
        "skal være begrundet. Kan parterne ikke blive enige, kan den dataansvarlige opsige aftalen om "
        "ydelsen til ophør, inden ændringen træder i kraft. Listen over godkendte underdatabehandlere "
        "fremgår af bilag B.",
        "6.2 The data processor has the data controller's general written authorisation for the engagement "
        "of sub-processors. The data processor shall specifically inform the data controller in writing of "
        "any intended changes concerning the addition or replacement of sub-processors at least 30 days in "
        "advance, thereby giving the data controller the opportunity to object to such changes before the "
        "engagement of the concerned sub-processors. The data controller's objection shall be reasoned. If "
        "the parties cannot agree, the data controller may terminate the agreement on the service before the "
        "change takes effect. The list of authorised sub-processors is set out in Annex B.",
    ),
    (
        "p",
        "6.3 Når databehandleren gør brug af en underdatabehandler, pålægger databehandleren gennem en "
        "kontrakt underdatabehandleren de samme databeskyttelsesforpligtelser som dem, der er fastsat i "
        "disse bestemmelser, navnlig at stille de fornødne garantier for, at der gennemføres passende "
        "tekniske og organisatoriske foranstaltninger på en sådan måde, at behandlingen overholder kravene i "
        "databeskyttelsesforordningen. Databehandleren sender efter anmodning en kopi af aftalen med "
        "underdatabehandleren til den dataansvarlige; forretningsmæssige oplysninger kan udelades.",
        "6.3 Where the data processor engages a sub-processor, the data processor shall do so by way of a "
        "contract which imposes on the sub-processor the same data protection obligations as those set out "
        "in these Clauses, in particular providing sufficient guarantees to implement appropriate technical "
        "and organisational measures in such a manner that the processing meets the requirements of the "
        "General Data Protection Regulation. At the data controller's request, the data processor shall send "
        "it a copy of the agreement with the sub-processor; commercial information may be removed.",
    ),
    (
        "p",
        "6.4 Hvis underdatabehandleren ikke opfylder sine databeskyttelsesforpligtelser, forbliver "
        "databehandleren fuldt ansvarlig over for den dataansvarlige for opfyldelsen af "
        "underdatabehandlerens forpligtelser.",
        "6.4 If the sub-processor does not fulfil its data protection obligations, the data processor shall "
        "remain fully liable to the data controller for the performance of the sub-processor's obligations.",
    ),
    (
        "h2",
        "7. Overførsel til tredjelande eller internationale organisationer",
        "7. Transfer of data to third countries or international organisations",
    ),
    (
        "p",
        "7.1 Enhver overførsel af personoplysninger til tredjelande eller internationale organisationer må "
        "kun foretages af databehandleren på grundlag af dokumenteret instruks fra den dataansvarlige og "
        "skal altid ske i overensstemmelse med databeskyttelsesforordningens kapitel V.",
        "7.1 Any transfer of personal data to third countries or international organisations by the data "
        "processor shall only occur on the basis of documented instructions from the data controller and "
        "shall always take place in compliance with Chapter V of the General Data Protection Regulation.",
    ),
    (
        "p",
        "7.2 Den dataansvarliges instruks vedrørende overførsel fremgår af bilag C.6. Uden en sådan instruks "
        "må databehandleren ikke overføre personoplysninger til et tredjeland, lade en underdatabehandler i "
        "et tredjeland behandle dem eller behandle dem i et tredjeland.",
        "7.2 The data controller's instructions regarding transfers are set out in Annex C.6. Without such "
        "instructions, the data processor shall not transfer personal data to a third country, have them "
        "processed by a sub-processor in a third country or process them in a third country.",
    ),
    ("h2", "8. Bistand til den dataansvarlige", "8. Assistance to the data controller"),
    (
        "p",
        "8.1 Databehandleren bistår under hensyntagen til behandlingens karakter så vidt muligt den "
        "dataansvarlige ved hjælp af passende tekniske og organisatoriske foranstaltninger med opfyldelse af "
        "den dataansvarliges forpligtelse til at besvare anmodninger om udøvelse af de registreredes "
        "rettigheder som fastlagt i databeskyttelsesforordningens kapitel III: oplysningspligt, indsigtsret, "
        "ret til berigtigelse, ret til sletning, ret til begrænsning af behandling, underretningspligt i "
        "forbindelse med berigtigelse, sletning eller begrænsning, ret til dataportabilitet, ret til "
        "indsigelse og retten til ikke at være genstand for en afgørelse, der alene er baseret på automatisk "
        "behandling.",
        "8.1 Taking into account the nature of the processing, the data processor shall assist the data "
        "controller by appropriate technical and organisational measures, insofar as this is possible, in "
        "the fulfilment of the data controller's obligations to respond to requests for exercising the data "
        "subject's rights laid down in Chapter III of the General Data Protection Regulation: the right to "
        "be informed, the right of access, the right to rectification, the right to erasure, the right to "
        "restriction of processing, the notification obligation regarding rectification, erasure or "
        "restriction, the right to data portability, the right to object and the right not to be subject to "
        "a decision based solely on automated processing.",
    ),
    (
        "p",
        "8.2 Bistanden ydes først og fremmest gennem portalens funktioner, jf. bilag C.3. En registreret, "
        "der henvender sig direkte til databehandleren, henvises til den dataansvarlige, og databehandleren "
        "videregiver henvendelsen til den dataansvarlige uden unødig forsinkelse.",
        "8.2 The assistance is given primarily through the portal's functions, see Annex C.3. A data subject "
        "who contacts the data processor directly shall be referred to the data controller, and the data "
        "processor shall pass the request on to the data controller without undue delay.",
    ),
    (
        "p",
        "8.3 Databehandleren bistår desuden den dataansvarlige med at sikre overholdelse af den "
        "dataansvarliges forpligtelser i medfør af databeskyttelsesforordningens artikel 32-36 under "
        "hensyntagen til behandlingens karakter og de oplysninger, der er tilgængelige for databehandleren: "
        "behandlingssikkerhed, anmeldelse af brud på persondatasikkerheden til Datatilsynet, underretning af "
        "de registrerede om brud på persondatasikkerheden, konsekvensanalyser vedrørende databeskyttelse og "
        "forudgående høring af Datatilsynet.",
        "8.3 The data processor shall furthermore assist the data controller in ensuring compliance with the "
        "data controller's obligations pursuant to Articles 32 to 36 of the General Data Protection "
        "Regulation, taking into account the nature of the processing and the information available to the "
        "data processor: security of processing, notification of a personal data breach to the supervisory "
        "authority (Datatilsynet), communication of a personal data breach to the data subjects, data "
        "protection impact assessments and prior consultation of the supervisory authority.",
    ),
    (
        "h2",
        "9. Underretning om brud på persondatasikkerheden",
        "9. Notification of personal data breach",
    ),
    (
        "p",
        "9.1 I tilfælde af brud på persondatasikkerheden hos databehandleren eller en underdatabehandler "
        "underretter databehandleren uden unødig forsinkelse den dataansvarlige, efter at databehandleren er "
        "blevet opmærksom på bruddet.",
        "9.1 In case of any personal data breach at the data processor or a sub-processor, the data "
        "processor shall, without undue delay after having become aware of it, notify the data controller "
        "of the breach.",
    ),
    (
        "p",
        "9.2 Databehandlerens underretning af den dataansvarlige skal ske senest "
        f"{BREACH_HOURS} timer efter, at databehandleren er blevet opmærksom på bruddet, så den "
        "dataansvarlige kan overholde sin forpligtelse til at anmelde bruddet til Datatilsynet inden for 72 "
        "timer. Underretningen sendes som e-mail til den dataansvarliges administratorer i portalen.",
        f"9.2 The data processor's notification to the data controller shall take place at the latest within "
        f"{BREACH_HOURS} hours after the data processor has become aware of the breach, to enable the data "
        "controller to comply with its obligation to notify the breach to the supervisory authority within "
        "72 hours. The notification is sent by email to the data controller's administrators in the portal.",
    ),
    (
        "p",
        "9.3 Underretningen skal mindst indeholde en beskrivelse af bruddets karakter, herunder så vidt "
        "muligt kategorierne og det omtrentlige antal berørte registrerede og registreringer, de sandsynlige "
        "konsekvenser af bruddet og de foranstaltninger, der er truffet eller foreslås truffet for at "
        "håndtere bruddet. Er det ikke muligt at give alle oplysninger samtidig, kan de gives trinvist uden "
        "unødig yderligere forsinkelse.",
        "9.3 The notification shall contain at least a description of the nature of the breach, including "
        "where possible the categories and approximate number of data subjects and records concerned, the "
        "likely consequences of the breach and the measures taken or proposed to be taken to address the "
        "breach. Where it is not possible to provide all the information at the same time, it may be "
        "provided in phases without undue further delay.",
    ),
    ("h2", "10. Sletning og returnering af oplysninger", "10. Erasure and return of data"),
    (
        "p",
        "10.1 Ved ophør af tjenesterne vedrørende behandling af personoplysninger er databehandleren "
        "forpligtet til at slette alle personoplysninger, der er blevet behandlet på vegne af den "
        "dataansvarlige, og bekræfte over for den dataansvarlige, at oplysningerne er slettet. Før "
        "sletningen kan den dataansvarlige selv hente en kopi af sine oplysninger i portalen, jf. bilag C.4.",
        "10.1 On termination of the provision of personal data processing services, the data processor shall "
        "be under obligation to delete all personal data processed on behalf of the data controller and "
        "certify to the data controller that it has done so. Before the erasure, the data controller may "
        "itself download a copy of its data in the portal, see Annex C.4.",
    ),
    (
        "p",
        "10.2 Eksisterende kopier slettes ligeledes, medmindre EU-retten eller national ret foreskriver "
        "opbevaring af personoplysningerne. Så længe sådanne oplysninger opbevares, behandles de alene til "
        "det formål, som retten foreskriver.",
        "10.2 Existing copies shall also be deleted unless Union or Member State law requires storage of the "
        "personal data. For as long as such data is stored, it is processed only for the purpose that law "
        "requires.",
    ),
    ("h2", "11. Revision, herunder inspektion", "11. Audit and inspection"),
    (
        "p",
        "11.1 Databehandleren stiller alle oplysninger, der er nødvendige for at påvise overholdelsen af "
        "databeskyttelsesforordningens artikel 28 og disse bestemmelser, til rådighed for den dataansvarlige "
        "og giver mulighed for og bidrager til revisioner, herunder inspektioner, der foretages af den "
        "dataansvarlige eller en anden revisor, som er bemyndiget af den dataansvarlige.",
        "11.1 The data processor shall make available to the data controller all information necessary to "
        "demonstrate compliance with the obligations laid down in Article 28 of the General Data Protection "
        "Regulation and these Clauses and allow for and contribute to audits, including inspections, "
        "conducted by the data controller or another auditor mandated by the data controller.",
    ),
    (
        "p",
        "11.2 Procedurerne for den dataansvarliges revisioner og tilsyn med underdatabehandlere fremgår af "
        "bilag C.7 og C.8. Databehandleren giver tilsynsmyndigheder, som efter gældende lovgivning har "
        "adgang til den dataansvarliges eller databehandlerens faciliteter, adgang til databehandlerens "
        "fysiske faciliteter mod behørig legitimation.",
        "11.2 The procedures for the data controller's audits and for the supervision of sub-processors are "
        "set out in Annexes C.7 and C.8. The data processor shall give authorities who by law have a right "
        "to enter the data controller's or the data processor's facilities access to the data processor's "
        "physical facilities on presentation of appropriate identification.",
    ),
    ("h2", "12. Parternes aftaler om andre forhold", "12. The parties' agreement on other terms"),
    (
        "p",
        "12.1 Parterne kan aftale andre bestemmelser, når blot de ikke direkte eller indirekte strider imod "
        "disse bestemmelser eller forringer den registreredes grundlæggende rettigheder eller "
        "frihedsrettigheder. Parternes øvrige aftaler fremgår af bilag D.",
        "12.1 The parties may agree other clauses, provided that they do not contradict, directly or "
        "indirectly, these Clauses or prejudice the fundamental rights or freedoms of the data subject. The "
        "parties' other terms are set out in Annex D.",
    ),
    ("h2", "13. Ikrafttræden og ophør", "13. Commencement and termination"),
    (
        "p",
        "13.1 Bestemmelserne træder i kraft, når den dataansvarlige accepterer dem i portalen. En ny version "
        "træder i stedet for den tidligere version, når den dataansvarlige har accepteret den.",
        "13.1 The Clauses shall become effective when the data controller accepts them in the portal. A new "
        "version replaces the earlier version once the data controller has accepted it.",
    ),
    (
        "p",
        "13.2 Begge parter kan kræve bestemmelserne genforhandlet, hvis lovændringer eller "
        "uhensigtsmæssigheder i bestemmelserne giver anledning hertil. Bestemmelserne er gældende, så længe "
        "behandlingen pågår, og kan uanset hovedaftalens ophør ikke opsiges, så længe databehandleren "
        "behandler personoplysninger på vegne af den dataansvarlige, medmindre andre bestemmelser om "
        "behandlingen er aftalt.",
        "13.2 Both parties shall be entitled to require the Clauses renegotiated if changes to the law or "
        "inexpediency of the Clauses should give rise to such renegotiation. The Clauses shall apply for the "
        "duration of the provision of personal data processing services and cannot be terminated, whatever "
        "the end of the main agreement, while the data processor processes personal data on behalf of the "
        "data controller, unless other clauses governing the processing have been agreed.",
    ),
    ("h2", "14. Kontaktpersoner", "14. Data controller and data processor contacts"),
    (
        "p",
        "14.1 Den dataansvarliges kontaktpersoner er virksomhedens administratorer i portalen. "
        "Databehandlerens kontaktoplysninger fremgår af databehandlerens hjemmeside. Parterne er forpligtet "
        "til løbende at orientere hinanden om ændringer vedrørende kontaktpersoner.",
        "14.1 The data controller's contacts are the company's administrators in the portal. The data "
        "processor's contact details are published on the data processor's website. The parties shall be "
        "under obligation continuously to inform each other of changes to contacts.",
    ),
]

ANNEX_C = [
    (
        "h3",
        "C.1 Behandlingens genstand og den dataansvarliges instruks",
        "C.1 The subject of and instruction for the processing",
    ),
    (
        "p",
        "Databehandleren behandler personoplysninger på vegne af den dataansvarlige ved at drive "
        "HR-portalen: opbevare personalesager og dokumenter, udarbejde dokumenter efter portalens "
        "skabeloner, sende dokumenter til elektronisk underskrift, udlevere udtræk til den dataansvarlige og "
        "de registrerede og slette oplysninger efter den dataansvarliges opbevaringsperiode. Databehandleren "
        "behandler ikke oplysningerne til egne formål.",
        "The data processor processes personal data on behalf of the data controller by operating the HR "
        "portal: storing personnel files and documents, preparing documents from the portal's templates, "
        "sending documents for electronic signature, providing exports to the data controller and the data "
        "subjects, and erasing data at the end of the data controller's retention period. The data processor "
        "does not process the data for purposes of its own.",
    ),
    ("h3", "C.2 Behandlingssikkerhed", "C.2 Security of processing"),
    (
        "p",
        "Under hensyn til, at portalen rummer CPR-numre, lønoplysninger og ansættelsesdokumenter, er "
        "sikkerhedsniveauet fastsat højt. Databehandleren gennemfører som minimum følgende foranstaltninger:",
        "As the portal holds national identification numbers (CPR), pay data and employment documents, the "
        "level of security is set high. The data processor implements at least the following measures:",
    ),
    (
        "ul",
        "Kryptering af lagrede oplysninger: personoplysninger og uploadede filer krypteres (AES-GCM) med en "
        "datanøgle for hver dataansvarlig; datanøglerne er selv krypteret med en hovednøgle, som aldrig "
        "gemmes i databasen eller i sikkerhedskopier.",
        "Encryption at rest: personal data and uploaded files are encrypted (AES-GCM) with a data key for "
        "each data controller; the data keys are themselves encrypted with a master key that is never stored "
        "in the database or in backups.",
    ),
    (
        "ul",
        "Kryptering under overførsel: al adgang til portalen sker over TLS (HTTPS); portalen og den "
        "offentlige hjemmeside ligger på hver sin adresse, så hjemmesidens scripts ikke kan nå portalen.",
        "Encryption in transit: all access to the portal is over TLS (HTTPS); the portal and the public "
        "website are served from separate addresses, so that scripts on the website cannot reach the portal.",
    ),
    (
        "ul",
        "Tofaktorlogin for alle brugere af portalen og administrationen, herunder den dataansvarliges "
        "administratorer og databehandlerens medarbejdere; adgangskoder gemmes med Argon2, og gentagne "
        "fejlede login spærres.",
        "Two-factor login for all users of the portal and of its administration, including the data "
        "controller's administrators and the data processor's staff; passwords are stored with Argon2, and "
        "repeated failed logins are locked out.",
    ),
    (
        "ul",
        "Adskillelse af kunderne: hver dataansvarligs oplysninger er adskilt både i programmet og i "
        "databasen (rækkeniveausikkerhed i PostgreSQL), så en bruger kun kan nå sin egen virksomheds "
        "oplysninger.",
        "Separation of customers: each data controller's data is separated both in the application and in "
        "the database (row-level security in PostgreSQL), so that a user can reach only the data of their "
        "own company.",
    ),
    (
        "ul",
        "Aktivitetslog: adgang til og ændringer af oplysningerne registreres i en log, som ikke kan ændres, "
        "og hvor hver hændelse er kædet til den foregående med en SHA-256-hashkæde, så en ændring kan "
        "påvises.",
        "Audit log: access to and changes of the data are recorded in a log that cannot be altered, in which "
        "each event is chained to the previous one by a SHA-256 hash chain, so that any alteration can be "
        "detected.",
    ),
    (
        "ul",
        "CPR-numre vises maskeret; visning af det fulde nummer kræver en begrundelse, som registreres i "
        "aktivitetsloggen. CPR-numre optræder ikke i adresser eller logfiler.",
        "CPR numbers are shown masked; showing the full number requires a reason, which is recorded in the "
        "audit log. CPR numbers do not appear in addresses or log files.",
    ),
    (
        "ul",
        "Sikkerhedskopier tages hver nat og indeholder kun krypterede oplysninger; de opbevares i 35 dage og "
        "slettes derefter. Genetablering fra sikkerhedskopi afprøves hver måned.",
        "Backups are taken every night and hold encrypted data only; they are kept for 35 days and then "
        "deleted. Restoring from a backup is tested every month.",
    ),
    (
        "ul",
        "Uploadede filer scannes for virus, inden de gemmes, og afvises, hvis scanningen ikke kan "
        "gennemføres.",
        "Uploaded files are scanned for viruses before they are stored, and refused if the scan cannot be "
        "completed.",
    ),
    (
        "ul",
        "Sessioner afsluttes efter 30 minutters inaktivitet og senest efter 8 timer.",
        "Sessions end after 30 minutes of inactivity and after 8 hours at the latest.",
    ),
    (
        "ul",
        "Organisatoriske foranstaltninger: databehandleren opretholder interne regler for håndtering af "
        "personoplysninger, giver kun adgang til de medarbejdere, der har brug for den, beskytter sine "
        "servere med firewall, holder kontorer aflåst uden for arbejdstiden med ryddede skriveborde og "
        "alarmanlæg og gennemgår sikkerheden mindst en gang om året.",
        "Organisational measures: the data processor maintains internal rules for handling personal data, "
        "gives access only to staff who need it, protects its servers with a firewall, keeps its offices "
        "locked outside working hours with clear desks and an alarm system, and reviews security at least "
        "once a year.",
    ),
    ("h3", "C.3 Bistand til den dataansvarlige", "C.3 Assistance to the data controller"),
    (
        "p",
        "Portalen giver den dataansvarlige mulighed for selv at registrere og følge de registreredes "
        "anmodninger med frister, at udlevere et udtræk af en medarbejders oplysninger, at berigtige, "
        "begrænse behandlingen af og slette en medarbejders oplysninger samt at hente et udtræk af alle "
        "virksomhedens oplysninger. Ved brud på persondatasikkerheden giver databehandleren den "
        "dataansvarlige de oplysninger, der er nødvendige for anmeldelse og underretning, jf. bestemmelse 9.",
        "The portal enables the data controller itself to record and follow the data subjects' requests with "
        "their deadlines, to provide an export of an employee's data, to rectify, restrict the processing of "
        "and erase an employee's data, and to download an export of all of the company's data. In the event "
        "of a personal data breach, the data processor gives the data controller the information necessary "
        "for notification and communication, see Clause 9.",
    ),
    ("h3", "C.4 Opbevaringsperiode og sletterutine", "C.4 Storage period and erasure procedures"),
    (
        "p",
        "Oplysninger om en medarbejder opbevares, så længe vedkommende er ansat, og derefter i den "
        "opbevaringsperiode, den dataansvarlige har valgt i portalen (som udgangspunkt 5 år); derefter "
        "slettes de automatisk. Når den dataansvarlige sletter sin konto, eller aftalen ophører, slettes "
        "alle oplysninger, og den dataansvarliges datanøgle destrueres, hvorefter oplysningerne heller ikke "
        "kan læses fra sikkerhedskopier, når disse er slettet efter højst 35 dage.",
        "Data about an employee is stored while the employee is employed and then for the retention period "
        "the data controller has chosen in the portal (5 years by default); it is then erased automatically. "
        "When the data controller deletes its account or the agreement ends, all data is erased and the data "
        "controller's data key destroyed, after which the data cannot be read from backups either, once "
        "these have been deleted after at most 35 days.",
    ),
    ("h3", "C.5 Lokalitet for behandlingen", "C.5 Processing location"),
    (
        "p",
        "Personoplysningerne opbevares inden for EU/EØS hos den hostingudbyder, der er nævnt i bilag B, og "
        "behandles kun på de lokaliteter, der følger af bilag B.",
        "The personal data is stored within the EU/EEA at the hosting provider listed in Annex B, and is "
        "processed only at the locations that follow from Annex B.",
    ),
    (
        "h3",
        "C.6 Instruks vedrørende overførsel af personoplysninger til tredjelande",
        "C.6 Instruction on the transfer of personal data to third countries",
    ),
    (
        "p",
        "Den dataansvarlige instruerer databehandleren i at overføre personoplysninger til de "
        "underdatabehandlere uden for EU/EØS, der er nævnt i bilag B, i det omfang det er nødvendigt for "
        "deres ydelse, og alene på det overførselsgrundlag, der er angivet for hver af dem. Anden overførsel "
        "kræver en ny skriftlig instruks.",
        "The data controller instructs the data processor to transfer personal data to the sub-processors "
        "outside the EU/EEA listed in Annex B, to the extent necessary for their service and only on the "
        "transfer mechanism stated for each of them. Any other transfer requires new written instructions.",
    ),
    (
        "h3",
        "C.7 Procedurer for den dataansvarliges revisioner, herunder inspektioner",
        "C.7 Procedures for the data controller's audits, including inspections",
    ),
    (
        "p",
        "Databehandleren sender efter anmodning en gang om året den dataansvarlige en skriftlig redegørelse "
        "for de gennemførte sikkerhedsforanstaltninger og resultatet af den årlige sikkerhedsgennemgang. Den "
        "dataansvarlige eller en uafhængig revisor, som den dataansvarlige har bemyndiget, og som er "
        "underlagt tavshedspligt, kan desuden foretage inspektion med 30 dages skriftligt varsel. Hver part "
        "afholder egne omkostninger.",
        "Once a year, on request, the data processor sends the data controller a written account of the "
        "security measures implemented and of the result of the annual security review. The data controller, "
        "or an independent auditor mandated by the data controller and bound by confidentiality, may "
        "furthermore carry out an inspection on 30 days' written notice. Each party bears its own costs.",
    ),
    (
        "h3",
        "C.8 Procedurer for revisioner af underdatabehandlere",
        "C.8 Procedures for audits of sub-processors",
    ),
    (
        "p",
        "Databehandleren fører mindst en gang om året tilsyn med underdatabehandlerne, som regel på grundlag "
        "af deres revisionserklæringer eller certificeringer, og oplyser efter anmodning den dataansvarlige "
        "om resultatet.",
        "At least once a year the data processor supervises the sub-processors, as a rule on the basis of "
        "their audit reports or certifications, and informs the data controller of the result on request.",
    ),
]

ANNEX_D = [
    (
        "p",
        "D.1 Forrang: Ved uoverensstemmelse mellem disse bestemmelser og bestemmelser i andre aftaler mellem "
        "parterne, herunder abonnementsvilkårene, har disse bestemmelser forrang for så vidt angår "
        "behandling af personoplysninger.",
        "D.1 Precedence: In the event of any contradiction between these Clauses and the provisions of other "
        "agreements between the parties, including the subscription terms, these Clauses shall prevail as "
        "regards the processing of personal data.",
    ),
    (
        "p",
        "D.2 Varighed og ophør: Bestemmelserne gælder, så længe den dataansvarlige benytter portalen, og "
        "ophører samtidig med abonnementet, dog tidligst når databehandleren har slettet oplysningerne efter "
        "bestemmelse 10.",
        "D.2 Term and termination: The Clauses apply for as long as the data controller uses the portal, and "
        "end together with the subscription, but not before the data processor has erased the data under "
        "Clause 10.",
    ),
    (
        "p",
        "D.3 Lovvalg og værneting: Bestemmelserne er underlagt dansk ret. Tvister afgøres ved de danske "
        "domstole.",
        "D.3 Governing law and jurisdiction: The Clauses are governed by Danish law. Disputes are settled by "
        "the Danish courts.",
    ),
    (
        "p",
        "D.4 Ændringer: En ny version af bestemmelserne offentliggøres i portalen, og den dataansvarliges "
        "administratorer underrettes pr. e-mail. Accepter af tidligere versioner opbevares som "
        "dokumentation.",
        "D.4 Changes: A new version of the Clauses is published in the portal, and the data controller's "
        "administrators are informed by email. Acceptances of earlier versions are kept as evidence.",
    ),
]


def as_html(blocks, language):
    """Rich-text HTML of `blocks` in "da" or "en"; consecutive list items form one list."""
    index = 0 if language == "da" else 1
    html, in_list = [], False
    for tag, *texts in blocks:
        text = texts[index]
        if tag == "ul":
            if not in_list:
                html.append("<ul>")
                in_list = True
            html.append(f"<li>{text}</li>")
            continue
        if in_list:
            html.append("</ul>")
            in_list = False
        html.append(f"<{tag}>{text}</{tag}>")
    if in_list:
        html.append("</ul>")
    return "".join(html)


def translations(*groups):
    """Danish segment -> English segment, for wagtail-localize."""
    return {da: en for blocks in groups for _tag, da, en in blocks}
