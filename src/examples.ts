/** The example operations GraphiQL opens with; README.md shows the same ones, and a test runs them. */
export const exampleQuery = `# Welcome to citegraph. Run any of these operations with the ▶ button.

# Yangqing Jia's most cited works.
query JiaTopCitedWorks {
  person(name: "Yangqing Jia") {
    name
    works(first: 5) {
      totalCount
      nodes { title publicationYear venue citationCount }
    }
  }
}

# His h-index and i10-index, with the profile total Google Scholar reported in 2019.
query JiaMetrics {
  person(name: "Yangqing Jia") {
    metrics { citationCount hIndex i10Index worksCount }
    since2014: metrics(since: 2014) { citationCount hIndex unknownReason }
    reportedMetrics { source retrievedOn citationCount }
  }
}

# Framework involvement over time: roles held and commits made, per year and project.
query JiaFrameworkInvolvement {
  person(name: "Yangqing Jia") {
    frameworkInvolvement { year project { name } roles commits }
  }
}

# Who worked on Caffe, in which role and when.
query CaffeContributors {
  project(slug: "caffe") {
    name
    contributors(first: 10) {
      totalCount
      nodes { roles firstActive lastActive commits person { name } }
    }
    activityByYear { year commits activeContributors }
  }
}

# Caffe year by year: its activity joined with the citations of its paper and of its contributors' works.
query CaffeImpact {
  project(slug: "caffe") {
    impactTimeline(from: 2013, to: 2020) {
      contributorWorksWithoutYearlyCounts
      years { year commits activeContributors newContributors citations contributorWorkCitations }
    }
  }
}
`;
