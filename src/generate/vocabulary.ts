/**
 * Words the generator builds names, titles, venues and institutions from. Lists that feed a
 * ZipfSampler are in order of how common their entries should be.
 */

/** Entries separated by commas; line breaks are layout only. */
function list(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** "Buenos Aires AR, Cairo EG" -> [["Buenos Aires", "AR"], ["Cairo", "EG"]]: a name and an ISO 3166-1 country code. */
function places(text: string): [string, string][] {
  return list(text).map((entry) => {
    const space = entry.lastIndexOf(' ');
    return [entry.slice(0, space), entry.slice(space + 1)];
  });
}

export const GIVEN_NAMES = list(`
  Wei, James, Maria, Li, David, Anna, Jing, Michael, Sarah, Yan, John, Laura, Hiroshi, Priya, Thomas, Elena, Raj,
  Sofia, Daniel, Yuki, Min-jun, Fatima, Carlos, Emma, Ahmed, Olga, Xin, Peter, Julia, Andrew, Ananya, Lukas, Giulia,
  José, María, Hao, Seo-yeon, Arjun, Camille, Matteo, Mehmet, Ayşe, Dmitri, Natalia, Jan, Eva, Pedro, Ana, João,
  Lucía, Javier, François, Hélène, Jérôme, Élodie, Chloé, Pierre, Robert, Jennifer, William, Elizabeth, Emily,
  Christopher, Jessica, Matthew, Olivia, Benjamin, Hannah, Samuel, Grace, Jonas, Björn, Søren, Ingrid, Astrid, Mikko,
  Aino, Kwame, Amara, Chinedu, Ngozi, Tendai, Zanele, Kofi, Abebe, Thiago, Larissa, Mateus, Yasmin, Ali, Reza, Sara,
  Noa, Yosef, Tamar, Nikos, Eleni, Andrei, Ioana, Zoltán, Réka, Tomáš, Zuzana, Haruto, Sakura, Kenji, Mei, Jun, Lei,
  Tao, Ying, Anh, Minh, Vikram, Leila, Omar, Elif, Ivan, Sergei, Katarzyna, Piotr, Luca, Francesca, Ji-ho, Akira,
  Mariana, Rafael, Isabel, Nadia
`);

export const FAMILY_NAMES = list(`
  Wang, Li, Zhang, Liu, Chen, Smith, Kim, Yang, Nguyen, Kumar, Huang, Lee, Müller, García, Zhao, Wu, Singh, Johnson,
  Silva, Zhou, Park, Sato, Rossi, Xu, Martin, Sun, Williams, Sharma, Ivanov, Brown, Ma, Suzuki, Rodríguez, Schmidt,
  Zhu, Tanaka, Jones, Patel, Hu, Martínez, Santos, Guo, Choi, Tran, Takahashi, Miller, Lin, Schneider, López, He,
  Gao, Davis, Le, Gupta, Watanabe, Fischer, Oliveira, Luo, Bernard, Wilson, González, Khan, Jung, Ito, Weber, Pham,
  Russo, Anderson, Pérez, Taylor, Yamamoto, Meyer, Kang, Reddy, Ferrari, Dubois, Moore, Sánchez, Souza, Nakamura,
  Wagner, Ali, Yilmaz, Smirnov, Kowalski, Nowak, Novák, Jackson, Becker, Costa, Kobayashi, Iyer, Das, Hassan, Kaya,
  Demir, Şahin, Kuznetsov, Popov, Petrov, Wiśniewski, Dvořák, Schulz, Hoffmann, Köhler, Esposito, Bianchi, Romano,
  Colombo, Ramírez, Torres, Flores, Pereira, Almeida, Ferreira, Thomas, Robert, Richard, Petit, Durand, Leroy,
  Moreau, Lefèvre, White, Harris, Thompson, Clark, Lewis, Walker, Hall, Allen, Young, King, Wright, Scott, Green,
  Baker, Adams, Nelson, Hill, Campbell, Mitchell, Roberts, Carter, Phillips, Evans, Turner, Parker, Collins, Edwards,
  Stewart, Morris, Murphy, Cook, Rogers, O'Brien, O'Connor, MacDonald, Jensen, Nielsen, Hansen, Larsen, Andersen,
  Johansson, Karlsson, Nilsson, Eriksson, Virtanen, Korhonen, de Vries, van den Berg, Jansen, Bakker, Janssens,
  Peeters, Okafor, Mensah, Adeyemi, Mwangi, Abubakar, Cohen, Levi, Mizrahi, Papadopoulos, Georgiou, Popescu, Ionescu,
  Nagy, Horváth, Kovács, Hosseini, Ahmadi, Rezaei, Haddad, Khalil, Fernandes, Rocha, Ribeiro, Hussein, Mendoza,
  Vargas, Castro, Ortiz
`);

/** Names written in Han or Hangul script, as some authors' records give them. */
export const HAN_NAMES = list(`
  王伟, 李娜, 张敏, 刘洋, 陈静, 杨磊, 黄勇, 赵丽, 吴军, 周杰, 徐明, 孙芳, 马超, 朱琳, 胡斌, 郭涛, 林晓, 何平, 高翔, 罗佳, 佐藤健, 鈴木花子, 高橋誠, 田中裕子, 김민준, 이서연,
  박지호, 최유진
`);

/**
 * The four word lists that make every title distinct: each is prefix-free once reduced to its
 * title-matching key, so the words at the start of a title can be read back one way only.
 * 64 entries each, 2^24 titles in all.
 */
export const TITLE_QUALIFIERS = list(`
  Adaptive, Bayesian, Scalable, Robust, Sparse, Hierarchical, Probabilistic, Distributed, Efficient, Interpretable,
  Stochastic, Nonlinear, Multiscale, Unsupervised, Semi-Supervised, Federated, Generative, Causal, Dynamic,
  Contrastive, Variational, Quantum, Geometric, Topological, Spectral, Temporal, Spatial, Energy-Aware,
  Fault-Tolerant, Lightweight, Data-Driven, Physics-Informed, Multimodal, Asynchronous, Decentralized,
  Differentiable, Explainable, Kernel-Based, Low-Rank, Regularized, Self-Supervised, Attention-Based, Convolutional,
  Recurrent, Graph-Based, Ensemble, Incremental, Online, Parallel, Randomized, Approximate, Exact, Optimal, Hybrid,
  Modular, Adversarial, Continual, Statistical, Computational, Experimental, Comparative, Longitudinal, Integrated,
  Automated
`);

export const TITLE_METHODS = list(`
  Tensor Decomposition, Graph Embeddings, Neural Networks, Matrix Factorization, Monte Carlo Sampling,
  Gaussian Processes, Random Forests, Transformers, Autoencoders, Diffusion Models, Markov Chains, Kalman Filtering,
  Wavelet Transforms, Boltzmann Machines, Mixture Models, Belief Propagation, Gradient Descent,
  Reinforcement Learning, Feature Selection, Dimensionality Reduction, Clustering, Topic Models, Hashing,
  Compressed Sensing, Optimal Transport, Message Passing, Finite Element Methods, Spectral Methods, Particle Filters,
  Density Estimation, Sequence Alignment, Phylogenetic Inference, Mass Spectrometry, Molecular Dynamics,
  Density Functional Theory, Lattice Models, Agent-Based Models, Survival Analysis, Causal Inference,
  Mixed-Effects Models, Time Series Models, Signal Processing, Image Segmentation, Object Detection,
  Speech Recognition, Knowledge Graphs, Query Optimization, Code Generation, Program Synthesis, Model Checking,
  Scheduling, Routing Protocols, Error Correction, Sensor Fusion, Path Planning, Control Policies, Surrogate Models,
  Metamaterials, Catalysts, Biomarkers, Gene Regulatory Networks, Cell Tracking, Protein Design, Risk Models
`);

export const TITLE_DOMAINS = list(`
  Protein, Climate, Urban Traffic, Power Grid, Crop Yield, Drug Response, Financial Market, Social Network,
  Brain Imaging, Galaxy Survey, Seismic, Ocean Current, Air Quality, Wind Turbine, Battery, Supply Chain, Genome,
  Microbiome, Cancer, Cardiac, Retinal, Speech, Legal Document, Patent, Clinical Trial, Electronic Health Record,
  Satellite Image, Wildfire, Flood, Epidemic, Hospital Readmission, Student Performance, Customer Churn, Fraud,
  Malware, Network Intrusion, Recommender System, Robot Grasping, Autonomous Driving, Drone, Manufacturing,
  Semiconductor, Polymer, Alloy, Catalyst, Solar Cell, Quantum Circuit, Particle Collision, Gravitational Wave,
  Exoplanet, Machine Translation, Sentiment, Music, Video, Sign Language, Wildlife, Forest, Soil, Water Quality,
  River, Coral Reef, Glacier, Schrödinger Equation, Ångström-Scale
`);

export const TITLE_TASKS = list(`
  Forecasting, Classification, Analysis, Prediction, Detection, Segmentation, Reconstruction, Simulation,
  Optimization, Monitoring, Design, Control, Inference, Estimation, Characterization, Modeling, Screening, Diagnosis,
  Planning, Retrieval, Ranking, Summarization, Localization, Tracking, Verification, Calibration, Imaging, Mapping,
  Profiling, Synthesis, Discovery, Assessment, Benchmarking, Compression, Denoising, Interpolation, Quantification,
  Recognition, Scheduling, Sensing, Surveillance, Visualization, Attribution, Auditing, Annotation, Clustering,
  Generation, Harmonization, Integration, Labeling, Navigation, Parsing, Recovery, Regulation, Sampling,
  Stabilization, Testing, Transfer, Understanding, Validation, Evaluation, Emulation, Fusion, Generalization
`);

/** Joins the method and the domain; prefix-free like the lists around it. */
export const TITLE_CONNECTORS = ['for', 'in', 'applied to', 'with Application to'];

export const TITLE_SUBTITLES = list(`
  A Survey, Theory and Practice, A Case Study, Lessons Learned, A Benchmark, Revisited, An Empirical Study,
  Methods and Applications, A Comparative Evaluation, Toward a Unified View, Evidence from Field Data,
  Preliminary Results, Open Problems, A Reproducibility Study
`);

export const FIELDS = list(`
  Machine Learning, Computer Vision, Natural Language Processing, Robotics, Databases, Computer Networks,
  Software Engineering, Cryptography, Molecular Biology, Genetics, Neuroscience, Immunology, Oncology, Cardiology,
  Epidemiology, Public Health, Ecology, Evolutionary Biology, Marine Science, Climate Science, Geophysics,
  Astrophysics, Particle Physics, Condensed Matter Physics, Optics, Quantum Information, Organic Chemistry,
  Materials Science, Chemical Engineering, Civil Engineering, Mechanical Engineering, Electrical Engineering,
  Applied Mathematics, Statistics, Economics, Finance, Psychology, Sociology, Linguistics, Education
`);

export const JOURNAL_PATTERNS = list(`
  Journal of {}, {} Letters, Annals of {}, International Journal of {}, Reviews in {}, Advances in {},
  Transactions on {}, {} Research
`);

export const CONFERENCE_PATTERNS = list(`
  Proceedings of the International Conference on {}, Proceedings of the Symposium on {}, Workshop on {}
`);

export const BOOK_SERIES_PATTERNS = ['Lecture Notes in {}', 'Handbook of {}'];

export const PREPRINT_SERVERS = ['Open Preprint Archive', 'ScholarXiv', 'Preprints Commons'];

export const DATA_REPOSITORIES = ['Open Data Repository', 'Research Data Commons'];

export const PUBLISHERS = list(`
  Meridian Scientific, Northgate Press, Atlas Academic, Lumen Publishing, Harborview Press,
  Crestwood University Press, Silverline Science, Orion Academic Group, Beacon Scholarly, Foxglove Press
`);

/** Cities institutions are named after, with their ISO 3166-1 country codes. */
export const PLACES = places(`
  Aarhus DK, Adelaide AU, Ankara TR, Athens GR, Austin US, Bangalore IN, Barcelona ES, Beijing CN, Bergen NO,
  Bogotá CO, Bologna IT, Boston US, Brisbane AU, Bristol GB, Brno CZ, Budapest HU, Buenos Aires AR, Cairo EG,
  Cape Town ZA, Chengdu CN, Chennai IN, Chicago US, Copenhagen DK, Daejeon KR, Delft NL, Denver US, Dresden DE,
  Dublin IE, Edinburgh GB, Eindhoven NL, Florence IT, Fukuoka JP, Geneva CH, Ghent BE, Glasgow GB, Gothenburg SE,
  Graz AT, Grenoble FR, Guangzhou CN, Hamburg DE, Hangzhou CN, Hanoi VN, Heidelberg DE, Helsinki FI, Houston US,
  Hyderabad IN, Istanbul TR, Jakarta ID, Johannesburg ZA, Kraków PL, Kyoto JP, Lagos NG, Lausanne CH, Leiden NL,
  Leuven BE, Lisbon PT, Ljubljana SI, Lyon FR, Madrid ES, Manchester GB, Melbourne AU, Mexico City MX, Milan IT,
  Montréal CA, Mumbai IN, Munich DE, Nagoya JP, Nairobi KE, Nanjing CN, Osaka JP, Oslo NO, Ottawa CA, Padua IT,
  Pisa IT, Porto PT, Prague CZ, Pune IN, Québec CA, Rennes FR, Rotterdam NL, San Diego US, Santiago CL, São Paulo BR,
  Seattle US, Seoul KR, Shanghai CN, Singapore SG, Stockholm SE, Stuttgart DE, Sydney AU, Taipei TW, Tehran IR,
  Tel Aviv IL, Tokyo JP, Toronto CA, Toulouse FR, Tsukuba JP, Turin IT, Uppsala SE, Utrecht NL, Valencia ES,
  Vancouver CA, Vienna AT, Warsaw PL, Wuhan CN, Zagreb HR, Zürich CH
`);

/** Institution name patterns with their OpenAlex institution types. */
export const INSTITUTION_PATTERNS: readonly (readonly [string, string])[] = [
  ['University of {}', 'education'],
  ['{} University', 'education'],
  ['{} Institute of Technology', 'education'],
  ['{} University Hospital', 'healthcare'],
  ['{} Research Institute', 'facility'],
  ['{} National Laboratory', 'government'],
  ['{} School of Economics', 'education'],
];

export const COMPANIES = places(`
  Nimbus Labs US, Vireo Systems US, Kestrel AI GB, Tanager Robotics JP, Halcyon Biotech CH, Orrery Analytics DE,
  Corvid Semiconductors TW, Lattice Dynamics KR, Bluefin Pharma US, Saltmarsh Energy NL, Quillwork Software CA,
  Basalt Materials SE
`);

export const PROJECT_OWNERS = list(`
  aurora-lab, bytefield, cobalt-research, driftwood-ai, ember-sci, fjord-data, granite-ml, helix-group, ionic-labs,
  juniper-compute, kelp-analytics, lumen-ai, mosaic-research, nebula-works, onyx-sci, prairie-ml, quill-labs,
  riverbend-ai, sable-data, tundra-research
`);

/** Project names are one of each, hyphenated, so no generated slug is a real framework's. */
export const PROJECT_NAME_STEMS = list(`
  tensor, graph, flux, quant, neuro, geo, bio, astro, deep, sparse, vector, cell, chem, climate, signal, meta, proto,
  hyper, micro, stream
`);

export const PROJECT_NAME_ENDINGS = list(`
  kit, flow, lab, forge, scope, lite, core, net, py, hub, bench, stack, tools, engine
`);

export const MAIL_DOMAINS = ['gmail.com', 'users.noreply.github.com', 'outlook.com', 'protonmail.com'];
