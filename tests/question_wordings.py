"""A labelled set of question wordings for measuring the question bank's grouping.

Written by hand for the tests: each inner list holds wordings of one question as people
recall them (paraphrases, British and American spelling, numbers as digits or words), and
neighbouring lists hold near-misses: questions that share most of their words but are not
the same question (strength / weakness, why join / why leave, expected / current salary,
left-anti / inner-outer joins, test / design a pipeline, receive / give feedback).
"""

from __future__ import annotations

LABELLED: list[list[str]] = [
    [
        "Tell me about yourself.",
        "Can you tell me a little about yourself?",
        "Tell us a bit about yourself and your background.",
        "So, tell me about yourself",
        "Walk me through your background.",
    ],
    [
        "What is your greatest strength?",
        "What are your greatest strengths?",
        "What would you say is your biggest strength?",
    ],
    [
        "What is your greatest weakness?",
        "What are your weaknesses?",
        "What would you say is your biggest weakness?",
    ],
    [
        "Why do you want to work here?",
        "Why do you want to work for us?",
        "Why do you want to work at our company?",
        "What makes you want to work here?",
    ],
    [
        "Why do you want to leave your current job?",
        "Why are you leaving your current job?",
        "Why did you leave your last job?",
    ],
    [
        "What are your salary expectations?",
        "What salary are you expecting?",
        "What are your salary requirements?",
        "What are your expectations regarding salary?",
    ],
    [
        "What is your current salary?",
        "How much do you earn in your current job?",
    ],
    [
        "Where do you see yourself in five years?",
        "Where do you see yourself in 5 years?",
        "Where do you see yourself in three years?",
        "Where do you want to be in five years?",
    ],
    [
        "Tell me about a time you disagreed with a stakeholder.",
        "Tell me about a time you disagreed with your manager.",
        "Describe a time when you disagreed with a colleague.",
        "Give me an example of a time you had a disagreement with a coworker.",
    ],
    [
        "Describe a project that failed and what you learned.",
        "Tell me about a project that failed.",
        "Tell me about a time you failed.",
        "Describe a failure and what you learned from it.",
    ],
    [
        "Tell me about a project you are proud of.",
        "Describe your proudest achievement.",
        "What accomplishment are you most proud of?",
    ],
    [
        "How would you deduplicate a table of customer records?",
        "How would you remove duplicate customer records from a table?",
        "How do you deduplicate customer data?",
    ],
    [
        "Explain the difference between a left join and an anti join.",
        "What is the difference between a left join and an anti join?",
        "What's the difference between a LEFT JOIN and an ANTI JOIN?",
    ],
    [
        "What is the difference between an inner join and an outer join?",
        "Explain the difference between inner and outer joins.",
    ],
    [
        "How do you test a data pipeline?",
        "How would you test a data pipeline?",
        "How do you make sure a data pipeline is correct?",
    ],
    [
        "How would you design a data pipeline?",
        "Design a data pipeline for clickstream events.",
    ],
    [
        "How do you prioritise competing requests?",
        "How do you prioritize competing priorities?",
        "How do you handle competing deadlines?",
    ],
    [
        "How do you like to receive feedback?",
        "How do you prefer to get feedback?",
    ],
    [
        "How do you give feedback to a colleague?",
        "How do you give difficult feedback?",
    ],
    [
        "Do you have any questions for us?",
        "Do you have any questions for me?",
        "What questions do you have for us?",
    ],
    [
        "Design a URL shortener.",
        "How would you design a URL shortening service like bit.ly?",
    ],
    [
        "Design a rate limiter.",
        "How would you design a rate limiter for an API?",
    ],
    [
        "When can you start?",
        "When could you start?",
        "How soon could you start?",
    ],
    [
        "Why should we hire you?",
        "Why should we hire you over other candidates?",
        "What makes you the right person for this role?",
    ],
    [
        "How would you detect an anomaly in daily sales?",
        "How would you detect anomalies in daily sales data?",
    ],
]

WORDINGS: list[str] = [text for group in LABELLED for text in group]
LABELS: list[int] = [label for label, group in enumerate(LABELLED) for _ in group]

#: Written after the thesaurus and contrast words were settled, and never used to tune them:
#: the grouping's figures on this set are the honest estimate for new wordings.
HELD_OUT: list[list[str]] = [
    [
        "Why are you interested in this position?",
        "What interests you about this role?",
        "Why did you apply for this job?",
    ],
    [
        "Tell me about a time you showed leadership.",
        "Describe a situation where you led a team.",
        "Give an example of when you took the lead on a project.",
    ],
    [
        "Tell me about a time you worked under pressure.",
        "How do you handle pressure?",
        "Describe a time you had to meet a tight deadline.",
    ],
    [
        "Tell me about a mistake you made at work.",
        "Describe a mistake you made and how you fixed it.",
    ],
    [
        "What is your notice period?",
        "How long is your notice period?",
    ],
    [
        "How would you optimise a slow SQL query?",
        "A query is running slowly. How would you speed it up?",
        "How do you tune a slow query?",
    ],
    [
        "How would you debug a slow SQL query?",
        "How would you find out why a query is slow?",
    ],
    [
        "Design a chat application like WhatsApp.",
        "How would you design a messaging app?",
    ],
    [
        "Design a news feed.",
        "How would you design a social media news feed?",
    ],
    [
        "What do you know about our company?",
        "What do you know about us?",
        "How much do you know about what we do?",
    ],
    [
        "What is the worst feedback you have received?",
        "What is the hardest criticism you have had?",
    ],
    [
        "What is the best feedback you have received?",
        "What is the nicest compliment you have had at work?",
    ],
    [
        "What motivates you?",
        "What drives you at work?",
        "What gets you out of bed in the morning?",
    ],
    [
        "What is a hash table?",
        "Explain how a hash map works.",
    ],
]
HELD_OUT_WORDINGS: list[str] = [text for group in HELD_OUT for text in group]
HELD_OUT_LABELS: list[int] = [label for label, group in enumerate(HELD_OUT) for _ in group]

#: A second held-out set, written on 2026-12-02 before any change made to lift the recall
#: on ``HELD_OUT`` (which, once its misses were studied, became a development set) and
#: committed before those changes: the honest estimate for wordings the method has not seen.
#: Paraphrases as people recall them, and near-misses beside them.
FRESH: list[list[str]] = [
    [
        "How would you describe your working style?",
        "What is your working style?",
        "How do you like to work?",
    ],
    [
        "How would your friends describe you?",
        "How would your friends describe you in three words?",
    ],
    [
        "What would your previous manager say about you?",
        "What would your last boss say about you?",
        "How would your former manager describe you?",
    ],
    [
        "What are you looking for in your next role?",
        "What do you want from your next job?",
        "What are you looking for in a new position?",
    ],
    [
        "Tell me about a time you had to learn something new quickly.",
        "Describe a time you picked up a new skill fast.",
        "How quickly do you learn new things?",
    ],
    [
        "Tell me about a time you went above and beyond.",
        "Describe a time you went beyond what was asked of you.",
    ],
    [
        "Tell me about a difficult customer you dealt with.",
        "Describe a time you handled an unhappy customer.",
        "How do you deal with difficult clients?",
    ],
    [
        "What is your expected salary?",
        "What salary range are you looking for?",
        "What kind of pay are you expecting?",
    ],
    [
        "Are you willing to relocate?",
        "Would you be open to relocating?",
        "Would you move for this job?",
    ],
    [
        "Explain the difference between a process and a thread.",
        "What is the difference between processes and threads?",
    ],
    [
        "Explain the difference between a list and a tuple in Python.",
        "What is the difference between a Python list and a tuple?",
    ],
    [
        "How would you handle missing values in a dataset?",
        "What do you do with missing data?",
        "How do you deal with nulls in your data?",
    ],
    [
        "How would you handle outliers in a dataset?",
        "What do you do about outliers in your data?",
    ],
    ["How would you design a URL shortener for a billion users?"],
    [
        "How would you scale a web service to millions of users?",
        "How would you scale an application to handle a million users?",
    ],
    [
        "Explain an A/B test to a non-technical person.",
        "How would you explain A/B testing to someone without a technical background?",
    ],
    [
        "How do you design an A/B test?",
        "How would you set up an A/B experiment?",
    ],
    [
        "Why do you want to change careers?",
        "Why are you switching careers?",
    ],
]
FRESH_WORDINGS: list[str] = [text for group in FRESH for text in group]
FRESH_LABELS: list[int] = [label for label, group in enumerate(FRESH) for _ in group]
