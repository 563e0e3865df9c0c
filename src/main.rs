fn main() {
    println!("yanshou");
}
