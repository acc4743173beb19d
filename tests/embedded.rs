use strata::embedded::{Cluster, EmbeddedOptions};

#[test]
fn smoke() {
    let c = Cluster::start(&EmbeddedOptions::default()).unwrap();
    println!(
        "started in {:?}: {:?} {}",
        c.startup_time(),
        c,
        c.url("postgres")
    );
    let t = std::time::Instant::now();
    let c2 = Cluster::start(&EmbeddedOptions::default()).unwrap();
    println!(
        "second started in {:?} / {:?}",
        c2.startup_time(),
        t.elapsed()
    );
    let t = std::time::Instant::now();
    c.stop().unwrap();
    println!("stopped in {:?}", t.elapsed());
}
