/*
 * Word lists for person-name detection (names.ts). Common given names and surnames of
 * the languages Baton's users write in, and words that stop a name. Entries are matched
 * through `nameKey` (accents folded, lower case), so `Lucia` and `Lucía` are one entry.
 * Lists, not patterns: each lookup is one Set probe whatever the list's length.
 */

/** Lower case without accents: `Élodie` → `elodie`, `Łukasz` → `lukasz`. */
export function nameKey(word: string): string {
  // Most words are plain ASCII letters: nothing to fold.
  if (/^[A-Za-z'-]*$/.test(word)) return word.toLowerCase();
  return word
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/ı/g, 'i')
    .replace(/[’]/g, "'")
    .toLowerCase();
}

const set = (...lists: string[]): ReadonlySet<string> => new Set(lists.flatMap((l) => l.split(/\s+/).filter(Boolean)).map(nameKey));

/** Given names that are seldom anything else: a capitalised one is a name wherever it stands. */
export const GIVEN_NAMES = set(
  // English, Irish, Scottish
  `James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Donald Steven Stephen
   Paul Andrew Joshua Kenneth Kevin Brian George Edward Ronald Timothy Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Larry
   Justin Scott Brandon Benjamin Samuel Gregory Alexander Patrick Jack Dennis Tyler Aaron Henry Peter Nathan Zachary Kyle Noah
   Ethan Liam Oliver Harry Charlie Oscar Archie Alfie Freddie Theo Arthur Logan Mason Lucas Owen Connor Callum Sean Declan Conor
   Ciaran Eoin Cormac Fergus Hamish Angus Alistair Graham Colin Neil Ian Keith Simon Adam Luke Joe Tom Tim Ben Sam Dan Nick Steve
   Mike Dave Chris Jim Bob Tony Andy Rob Phil Greg Jeff Kate Katie Liz Beth Jenny Jen Becky Vicky Nikki
   Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley Kimberly
   Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley
   Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Rachel Carolyn Janet Catherine Heather Diane Julie Joyce Kelly
   Christina Lauren Joan Evelyn Olivia Judith Megan Cheryl Martha Andrea Frances Hannah Jacqueline Ann Anne Gloria Jean Kathryn
   Alice Teresa Sara Janice Doris Abigail Marie Denise Beverly Theresa Marilyn Danielle Diana Brittany Natalie Sophia Sophie
   Isabella Alexis Kayla Amelia Isla Ava Mia Poppy Ella Lily Evie Chloe Freya Eleanor Harriet Imogen Matilda Dana Taylor Casey
   Morgan Alex Robin Jamie Niamh Aoife Siobhan Saoirse Orla Ciara Sinead Mairead Fiona Eilidh Kirsty Shona Morag Gemma Zoe Lucy
   Jasmine Naomi Leah Megan Caitlin Bethany Abby Maddie Ellie Molly Phoebe Scarlett Layla Aria Harper Avery Riley Brooklyn`,
  // Nordic
  `Lars Erik Anders Henrik Nils Johan Mikael Magnus Olav Ole Jens Søren Mads Bjørn Gunnar Sigurd Astrid Sigrid Ingrid Karin Kerstin
   Annika Freja Maja Linnea Elsa Hedda Sanna Kristin Liv Tove`,
  // Spanish
  `José Juan Luis Carlos Jorge Miguel Antonio Manuel Francisco Javier Pedro Alejandro Fernando Ricardo Sergio Pablo Diego Andrés
   Rafael Raúl Alberto Roberto Eduardo Enrique Mario Ramón Joaquín Ignacio Gonzalo Álvaro Rodrigo Mateo Hugo Martín Adrián Iván
   Óscar Rubén Víctor Emilio Tomás Felipe Guillermo Nicolás Sebastián Matías Agustín Benjamín Alonso Esteban Jesús Íñigo Iker
   Unai Xavier Jordi Pau Marc Oriol
   María Carmen Ana Isabel Lucía Marta Elena Sofía Paula Cristina Rosa Raquel Beatriz Silvia Natalia Julia Irene Claudia Alba
   Nuria Rocío Montserrat Inés Valentina Camila Valeria Daniela Gabriela Mariana Ximena Fernanda Adriana Verónica Alejandra
   Lorena Susana Eva Noelia Ainhoa Leire Catalina Guadalupe Consuelo Soledad Jimena Martina Lourdes Begoña Amparo Josefa Remedios`,
  // Portuguese
  `João Tiago Rui Nuno Gonçalo Duarte Diogo Afonso Vasco Bruno Paulo Luís Sérgio Fábio Filipe André Vítor Marcelo Thiago Gabriel
   Guilherme Gustavo Leonardo Matheus Caio Vinícius Henrique Bernardo Heitor Davi Enzo Rodrigo Otávio
   Beatriz Mariana Joana Catarina Leonor Matilde Rita Margarida Francisca Lúcia Juliana Larissa Letícia Bruna Vitória Luana Thaís
   Helena Manuela Lívia Yasmin Débora Patrícia Cláudia Conceição Graça Fátima Adriana Simone Aline Tatiana Renata`,
  // French
  `Jean Pierre Michel Philippe Alain Nicolas Christophe François Laurent Frédéric Éric Stéphane Olivier Sébastien Julien Mathieu
   Guillaume Antoine Maxime Alexandre Romain Quentin Théo Louis Raphaël Jules Clément Baptiste Benoît Thierry Didier Bernard Gérard
   Yves Rémi Loïc Yannick Cédric Jérôme Sylvain Damien Aurélien Fabien Vincent Mathis Enzo Thibault Arnaud Bastien Florian Gaël
   Nathalie Isabelle Sylvie Françoise Valérie Sandrine Stéphanie Céline Aurélie Camille Léa Manon Chloé Inès Louise Lina Zoé
   Élodie Amélie Margaux Pauline Mathilde Clémence Juliette Anaïs Océane Laetitia Virginie Delphine Caroline Émilie Claire Hélène
   Agnès Brigitte Monique Geneviève Élise Mélanie Justine Héloïse Margot Noémie Elsa Lucie Capucine Solène Maëlle Coralie Sabrina`,
  // German, Austrian, Swiss
  `Andreas Wolfgang Klaus Jürgen Stefan Uwe Bernd Christian Markus Matthias Martin Sebastian Tobias Jonas Lukas Leon Felix
   Maximilian Finn Elias Luca Niklas Florian Philipp Fabian Julian Dominik Moritz Hans Dieter Helmut Heinz Gerhard Manfred Horst
   Rainer Ralf Torsten Dirk Jens Sven Kai Lars Jörg Volker Günter Karl Friedrich Heinrich Johannes Benedikt Lorenz Konstantin Jannik
   Sabine Susanne Petra Birgit Monika Gabriele Stefanie Katrin Anja Kerstin Ursula Ingrid Renate Helga Karin Heike Silke Tanja
   Melanie Jana Lena Leonie Lea Emilia Johanna Clara Greta Frieda Ida Franziska Katharina Jasmin Nina Vanessa Annika Svenja Carina
   Miriam Elisabeth Magdalena Gudrun Hildegard Gertrud Ulrike Dagmar Bärbel Angelika Cornelia Manuela`,
  // Italian
  `Giuseppe Giovanni Mario Luigi Francesco Angelo Vincenzo Pietro Salvatore Carlo Franco Domenico Michele Giorgio Aldo Luciano
   Alessandro Marco Matteo Lorenzo Gabriele Riccardo Davide Simone Federico Stefano Luca Fabio Massimo Emanuele Edoardo Tommaso
   Giacomo Nicolò Niccolò Filippo Daniele Enrico Claudio Maurizio Raffaele Gianluca Gianni Dario Cristian Alessio Mattia Samuele
   Giuseppina Giovanna Carmela Caterina Francesca Chiara Giulia Martina Alessia Ginevra Giorgia Beatrice Elisa Federica Paola
   Roberta Simona Monica Alessandra Serena Ilaria Elisabetta Noemi Camilla Vittoria Bianca Ludovica Arianna Eleonora Letizia
   Gabriella Antonella Patrizia Raffaella Rossella Donatella Loredana Stefania Chiara Annalisa Giada`,
  // Dutch, Flemish
  `Johannes Hendrik Cornelis Pieter Willem Gerrit Jacobus Theodorus Adrianus Daan Sem Levi Milan Bram Thijs Ruben Jesse Stijn Koen
   Niels Joost Maarten Sander Wouter Jeroen Bas Ruud Rutger Wim Kees Henk Joris Floris Teun Luuk Gijs Mees Jelle Pim Arjen Sjoerd
   Johanna Cornelia Wilhelmina Hendrika Tess Lotte Fleur Sanne Anouk Lieke Femke Noa Mila Saar Roos Marieke Annemarie Mirjam Esther
   Inge Ilse Els Marjolein Yvonne Wendy Bregje Liesbeth Floor Evi Maaike Ineke Anneke`,
  // Polish
  `Piotr Krzysztof Andrzej Tomasz Paweł Michał Marcin Jakub Łukasz Marek Grzegorz Mateusz Wojciech Mariusz Dariusz Zbigniew Jerzy
   Tadeusz Kamil Maciej Rafał Szymon Bartosz Dawid Kacper Antoni Stanisław Józef Ryszard Kazimierz Leszek Przemysław Damian Wiktor
   Katarzyna Małgorzata Agnieszka Krystyna Ewa Elżbieta Zofia Magdalena Aleksandra Karolina Dorota Beata Alicja Zuzanna Maja Oliwia
   Wiktoria Justyna Paulina Iwona Jolanta Grażyna Halina Danuta Sylwia Izabela Weronika Agata Urszula Bożena Kinga Anna Hanna`,
  // Turkish
  `Mehmet Mustafa Ahmet Hüseyin Hasan İbrahim İsmail Osman Murat Ömer Ramazan Halil Süleyman Mahmut Emre Burak Cem Kemal Serkan
   Hakan Volkan Onur Oğuz Barış Tolga Selim Eren Kerem Arda Efe Berk Emir Yiğit Mert Oğuzhan Tarık Levent Erkan Orhan Kaan Baran
   Furkan Enes Gökhan Özgür Sinan Uğur
   Fatma Ayşe Emine Hatice Zeynep Elif Meryem Şerife Hanife Merve Esra Büşra Özlem Yasemin Ebru Derya Gül Sevgi Hülya Aylin Ceren
   Selin Defne Ecrin Asya İrem Gizem Tuğba Pınar Sibel Dilek Burcu Melike Sena Nur Seda Gamze Çiğdem Şule Aslı Ezgi`,
  // Indian
  `Aarav Vivaan Aditya Vihaan Arjun Reyansh Krishna Ishaan Rohan Rahul Amit Sanjay Vijay Raj Rajesh Suresh Ramesh Mahesh Anil
   Sunil Ravi Arun Ajay Vikram Manoj Deepak Prakash Ashok Naveen Nikhil Kiran Akash Harsh Karan Varun Siddharth Abhishek Ankit
   Gaurav Pranav Sandeep Pradeep Rakesh Mohan Ganesh Srinivas Venkat Arvind Anand Dinesh Harish Girish Rishi Sai Vinod Sachin
   Rajiv Sameer Imran Aryan Kabir Arnav
   Priya Ananya Aadhya Diya Saanvi Aanya Anika Navya Myra Riya Kavya Isha Pooja Neha Sneha Anjali Divya Shreya Sunita Anita Kavita
   Lakshmi Meera Radha Sita Geeta Gita Rekha Usha Nisha Deepika Aishwarya Shruti Swati Preeti Nandini Ritu Pallavi Sakshi Tanvi
   Aarti Jyoti Shalini Madhuri Lata Padma Suman Vandana Harpreet Gurpreet Simran Manpreet Jaspreet Parminder Sunil Ishita Aditi`,
  // Chinese (pinyin)
  `Wei Jing Yan Hui Lei Jie Ying Hua Ming Tao Qiang Yong Jian Xin Xiaoming Xiaohong Xiaoli Xiaoyan Xiaowei Jiahui Zihan Yuxuan
   Haoran Yichen Zhiwei Jianhua Lihua Weiwei Lili Jingjing Mei Xiuying Guiying Yufei Zhihao Junjie Haoyu Ruoxi Shuang Qian Xue
   Yiming Zhengyang Zhiqiang Jianguo Guoqiang Xiaojun Meiling Yuying Huiying Chunhua Jiayi Yutong Zixuan Shuai`,
  // Japanese (romaji)
  `Haruto Sota Yuto Hinata Riku Minato Yamato Hiroto Hiroshi Takashi Kenji Akira Satoshi Kazuki Daiki Takumi Shota Kenta Ryota
   Yuta Naoki Kaito Tatsuya Makoto Kaoru Ichiro Taro Jiro Daisuke Masato Koji Kenichi Shinji Tetsuya Hideki Yusuke Yuki
   Keiko Yoko Akiko Tomoko Yumi Mayumi Emi Yui Aoi Hina Sakura Mio Misaki Haruka Ayaka Miyu Nanami Hana Kana Aiko Yuko Kumiko
   Sachiko Noriko Megumi Ayumi Chihiro Asuka Momoko Riko Naoko Kyoko Mariko Hiroko Junko Eriko`,
  // Arabic (transliterated)
  `Mohammed Muhammad Mohamed Mohammad Ahmed Ahmad Ali Omar Umar Hassan Hussein Husain Ibrahim Youssef Yousef Yusuf Khalid Khaled
   Abdullah Abdul Abdulrahman Abdelaziz Mahmoud Tariq Hamza Karim Kareem Saeed Samir Sami Nabil Walid Yasser Faisal Majid Rashid
   Salim Adel Bilal Idris Jamal Khalil Mansour Nasser Osama Ziad Zayd Rami Fadi Anas Ayman Bassam Hisham Marwan Nizar Tamer Waleed
   Fatima Fatimah Aisha Aicha Maryam Mariam Khadija Zainab Zeinab Leila Noor Nour Huda Amina Aminah Salma Yasmine Rania Rana Dina
   Reem Nadia Samira Mona Asma Hiba Sana Ghada Jamila Laila Lamia Malak Nada Nawal Rasha Safa Suha Zahra Aya Farah Yara Dalia`,
);

/**
 * Given names that are also ordinary words, months, places or brands (Will, May, Grace,
 * Florence, Alexa): a name only after a title, greeting, label or sign-off, or with a
 * surname after it.
 */
export const AMBIGUOUS_GIVEN_NAMES = set(
  `Will Mark Bill Grace Hope Faith Joy Rose Amber Jade Ruby Pearl Crystal Summer Autumn April May June August Dawn Eve Holly Ivy
   Iris Daisy Violet Olive Hazel Victoria Charlotte Florence Madison Austin Jordan Georgia Virginia Carolina Sydney Paris Chelsea
   Lincoln Jackson Dallas Phoenix Sky River Art Guy Ray Rich Frank Earl Dean Chase Miles Grant Don Pat Sue Sunny Angel Chance Penny
   Max Alexa Mercedes Dolores Pilar Esperanza Luz Paz Sol Santiago Sofia Adelaide Regina Eugene Orlando Salvador Aurora Jan Can Deniz
   Umut Sultan Eylül Nisan Dev Asha Li Yu Na Bo Long Fang Min Lan Ping Hong Gang Jun Kai Said Salem Amir Iman Nana Mai Star Storm
   Rain Honey Ginger Pepper Sandy Rusty Cliff Wade Brook Lane Clay Hunter Archer Carter Cash Justice Harmony Trinity Destiny Nova
   Luna Stella Marina Ada Pascal Ernst Fortune Ella Nur Nada Oscar Brooklyn Mona Levi Finn Precious Blessing Major Sterling Rocky Misty Cherry`,
);

/**
 * Surnames common in the same languages. After a capitalised word that is not a stop
 * word they make a name even when the given name is not in the lists (`Oluwaseun Smith`).
 */
export const SURNAMES = set(
  `Smith Johnson Williams Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor
   Moore Jackson Martin Thompson Harris Clark Lewis Robinson Walker Allen Wright Scott Torres Nguyen Hill Flores Adams Nelson Baker
   Mitchell Carter Roberts Campbell Murphy Kelly Sullivan O'Brien O'Connor O'Neill Walsh Byrne Ryan Fitzgerald MacDonald MacLeod
   Robertson Stewart Evans Hughes Edwards Davies Morgan Jenkins Whitfield Thompson Jensen Hansen Nielsen Andersen Larsen Johansson
   Eriksson Lindqvist Karlsson Nilsson Virtanen
   García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Díaz Álvarez Romero Ruiz Alonso Navarro Moreno Muñoz
   Jiménez Domínguez Vázquez Ramos Gil Serrano Molina Ortega Delgado Castro Ortiz Rubio Marín Iglesias Medina Garrido Cortés
   Mendoza Herrera Aguilar Vargas Guzmán Rojas
   Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Jesus Sousa Fernandes Gonçalves Gomes Lopes Marques Almeida Ribeiro
   Pinto Carvalho Teixeira Moreira Correia Mendes Nunes Soares Vieira Monteiro Cardoso Barbosa Araújo
   Martin Bernard Dubois Durand Lefebvre Leroy Moreau Simon Laurent Michel Garnier Girard Fontaine Rousseau Lambert Bonnet Dupont
   Fournier Mercier Blanc Guerin Muller Henry Roussel Nicolas Perrin Morel Mathieu Clement Gauthier Chevalier
   Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Richter Klein Wolf Schröder Neumann
   Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Werner Krause Lehmann Köhler Herrmann Walter Mayer Huber Kaiser Fuchs
   Peters Lang Scholz Möller Weiß Jung Hahn Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke
   Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De Luca Mancini Costa Giordano Rizzo
   Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale
   De Jong Jansen De Vries Van den Berg Van Dijk Bakker Janssen Visser Smit Meijer De Boer Mulder De Groot Bos Vos Peters Hendriks
   Van Leeuwen Dekker Brouwer De Wit Dijkstra Smits De Graaf Van der Meer Van der Linden Kok Jacobs De Haan Vermeulen Maes Claes
   Nowak Kowalski Kowalska Wiśniewski Wiśniewska Wójcik Kowalczyk Kamiński Kamińska Lewandowski Lewandowska Zieliński Zielińska
   Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski Michalski
   Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek
   Sharma Patel Singh Kumar Gupta Shah Mehta Joshi Verma Reddy Rao Iyer Nair Menon Pillai Chopra Kapoor Malhotra Banerjee Chatterjee
   Mukherjee Das Bose Sen Ghosh Agarwal Bhat Desai Kulkarni Jain Chaudhary Mishra Pandey Yadav Khan
   Wang Zhang Liu Chen Yang Huang Zhao Zhou Wu Xu Sun Zhu Ma Hu Guo He Lin Gao Luo Zheng Liang Xie Tang Song Han Feng Deng Cao Xiao
   Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki Yamaguchi Matsumoto Inoue
   Kimura Hayashi Shimizu Yamazaki Mori Abe Ikeda Hashimoto Ishikawa Ogawa Okada Goto Hasegawa Murakami
   Haddad Khoury Hassan Hussein Ibrahim Mansour Nasser Saleh Salem Abdullah Rahman Farouk Aziz Hamdan Khalil Youssef Mahmoud
   Al-Sayed Al-Amin Al-Rashid Al-Farsi Al-Hashimi El-Sayed Abdelrahman Suleiman Habib Qureshi Siddiqui Chaudhry`,
);

/** Surnames that are also ordinary words: no help as evidence on their own. */
export const AMBIGUOUS_SURNAMES = set(
  `Hill Baker Carter Martin Thomas Taylor Jackson Scott Young King Wright Green White Brown Black Long Park Lee Costa Silva Santos
   Cruz Rivera Torres Gil Ramos Bruno Leone Longo Gentile Kurt Kara Koç Das Sen Ma He Lin Song Han Mori Abe Ito Frank Wolf Jung Koch
   Lang Roth Beck Walter Simon Henry Nicolas Michel Clement Bernard Laurent Mathieu Peters Jacobs Jesus Bos Vos Kok Smit Shah Rao Jain
   Mendes Nunes Marques Pinto Gomes Moreno Blanc Bonnet Greco Gallo Marino Martini Conti Grant Ryan Kelly Morgan Allen Lewis Clark`,
);

/**
 * Words that open the name of a place (`São Paulo`, `San Diego`, `Saint Louis`): a given
 * name right after one is part of a place name.
 */
export const PLACE_PREFIXES = set(`São Sao San Santa Santo Saint Sainte St Ste Sankt Fort Port Porto Puerto Mount Mont Monte Lake Cape Cabo New
  Nueva Nuevo Nova Novo Villa Ville Bad Ciudad Isla Cala Costa Val Valle`);

/** Particles inside a surname: `de Vries`, `van der Berg`, `da Silva`, `bin Salman`. */
export const SURNAME_PARTICLES = set(`de del della der den di da das dos du van von la le ter ten bin ibn al el y e zu`);

/**
 * Capitalised words that are never part of a person's name: sentence and letter words,
 * months and weekdays. They stop a name and never start one.
 */
export const NOT_NAME_WORDS = set(
  // sentence and letter words
  `The A An This That These Those There Here I I'm I'll I've We You He She It They Me Us Him Them My Your Our Their His Her Its
   And Or But If When While Where Why What Which Who How For From To In On At By With Of As Is Are Was Were Be Been Has Have Had
   Do Does Did Can Could Would Should Shall Must Might Not No Yes Ok Okay Please Thanks Thank Hi Hello Hey Dear All Any Some Every
   Each Both Also Just Only Still Yet So Then Than Now Today Tomorrow Yesterday Tonight Soon Later Again Re Fwd Fw Cc Bcc Subject
   Sent Date Note Notes Regards Best Kind Warm Cheers Sincerely Respectfully Cordially Welcome Sorry Great Good Nice New Old Next
   Last First Second Third Final Total Sum Amount Balance Due Paid Order Orders Invoice Receipt Payment Account Customer Client
   Team Support Sales Service Services Admin Manager Management Department Staff Everyone Everybody Guys Folks Sir Sirs Madam
   Gentlemen Ladies Colleagues Friends Members Partners Users User Owner Owners Visitor Guest Guests Name Address Phone Email Mobile
   Tel Fax Street Dashboard Report Reports Update Updates Meeting Agenda Minutes Project Ticket Issue Case Request Status Summary
   Details Info Information Contact Contacts Reply Forward Attached Attachment Call Calls Message Messages Chat Agent Bot System
   Error Warning Debug Log Logs Release Version Build Deploy Production Staging Test Tests Delivery Shipping Shipment Package Parcel
   Product Products Price Prices Plan Plans Pro Plus Premium Basic Standard Free Trial Mini Ultra Lite Air Note Series Edition
   Model Watch Phone Pad Book Show Dot Echo Home Office Store Shop Online Cloud Data Digital Smart World`,
  // whom letters greet and sign as, when not a person
  `Valued Member Subscriber Subscribers Customers Clients Applicant Applicants Candidate Candidates Hiring Recruiter Parent Parents
   Student Students Patient Patients Resident Residents Neighbour Neighbours Neighbor Neighbors Shareholder Shareholders Investor
   Investors Supplier Suppliers Vendor Vendors Seller Sellers Buyer Buyers Traveller Travellers Traveler Travelers Passenger
   Passengers Reader Readers Editor Editors Committee Board Director Directors Officer Administrator Developer Developers Community
   Host Tenant Tenants Landlord Colleague Coworker Coworkers Employee Employees Participant Participants Attendee Attendees Speaker
   Speakers Volunteer Volunteers Gentleman Lady Mesdames Messieurs Damen Herren Kunde Kundin Kunden Kollege Kollegen Kolleginnen
   Kundenservice Kundendienst Cliente Clientes Señores Amigos Signori Gentili Heren Dames Klant Klanten Państwo Müşterimiz Équipe
   Service Équipes Ihr Ihre Ihren Euer Eure Dein Deine Unser Unsere Votre Vos Notre Nos Su Sus Nuestro Nuestra Vostro Vostra Il
   Der Die Das Ein Eine Le La Les Un Une El Los Las Una Het Een`,
  // titles: before a name, never one
  `Mr Mrs Ms Miss Mx Dr Prof Professor Dame Lord Herr Frau Monsieur Madame Mademoiselle Mme Mlle Señor Señora Señorita Sr Sra Srta
   Doña Senhor Senhora Signor Signore Signora Signorina Sig Dott Avv Pan Pani Panie Heer Mevrouw Meneer Mevr Dhr Shri Smt Sri Sheikh
   Rev Bey Hanım Efendi`,
  // months and weekdays of the languages that capitalise them (French, Spanish, Italian,
  // Portuguese, Dutch and Polish write them in lower case, and several are given names:
  // Mei, Julio, Domingo). Jan and Jun are names too; a name needs a capitalised word after
  // them, which a date does not give.
  // April, May, June and August are given names too (in AMBIGUOUS_GIVEN_NAMES): a date
  // never puts a capitalised word after them.
  `January February March July September October November December Feb Mar Apr Jul Aug Sep Sept Oct
   Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun
   Januar Februar März Juni Juli Oktober Dezember Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag
   Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık Pazartesi Salı Çarşamba Perşembe Cuma Cumartesi Pazar`,
);

/**
 * Words of company, street and place names (`Acme Corp`, `Oxford Street`, `Berlin`): they
 * stop a name, and a capitalised word right before one is a company or a place, not a
 * person.
 */
export const ORG_PLACE_WORDS = set(
  // companies and organisations
  `Inc Ltd Llc Llp Plc GmbH AG KG SA SAS SARL SL SpA Srl BV NV AB AS Oy Pty Co Corp Corporation Company Companies Group Holding
   Holdings Bank Capital Partners Systems Solutions Software Technologies Technology Tech Labs Lab Foods Food Logistics Industries
   Textiles Freight Analytics Consulting Airlines Airways Motors Pharma Media Studio Studios Hotel Hotels Restaurant Cafe Café Bar
   University College School Academy Institute Hospital Clinic Foundation Association Council Ministry Agency Bureau Center Centre
   Club International Global Energy Insurance Health Healthcare Care Retail Trading Ventures Network Networks Enterprises Brands
   Electronics Pharmaceuticals Telecom Communications Financial Finance Investments Realty Properties Construction Manufacturing
   Motors Automotive Express Mobility Robotics Security Marketing Advertising Publishing Press News Times Post Journal Magazine`,
  // streets and places
  `Street St Avenue Ave Road Rd Boulevard Blvd Lane Ln Drive Dr Way Court Ct Place Pl Square Sq Terrace Crescent Close Gardens Grove
   Parkway Highway Hwy Plaza Alley Row Mews Walk Garden River Lake Mount Mountain Valley Bay Beach Island Islands Airport Station
   Bridge Harbour Harbor Port Hills Heights Forest Canyon Falls Springs Coast North South East West Central Upper Lower Downtown
   Midtown City Town Village County State Province Region District Area Campus Building Tower Room Floor Level Gate Terminal`,
  // countries, regions and large cities
  `America American USA UK Britain British England English Scotland Wales Ireland Irish France French Germany German Spain Spanish
   Italy Italian Portugal Portuguese Netherlands Dutch Holland Belgium Poland Polish Turkey Turkish India Indian China Chinese Japan
   Japanese Korea Korean Brazil Brazilian Mexico Mexican Canada Canadian Australia Australian Europe European Asia Africa Egypt
   Morocco Emirates Dubai Qatar Saudi Arabia Arabic Russia Russian Ukraine Austria Switzerland Swiss Sweden Norway Denmark Finland
   Greece Texas California Florida York London Berlin Madrid Barcelona Lyon Marseille Rotterdam Amsterdam Milan Milano Rome Roma
   Leeds Manchester Toronto Vancouver Lisbon Lisboa Porto Vienna Wien Dublin Zurich Zürich Munich München Hamburg Warsaw Warszawa
   Istanbul Ankara Mumbai Delhi Bengaluru Bangalore Tokyo Osaka Beijing Shanghai Cairo Chicago Boston Seattle Denver Atlanta`,
);
