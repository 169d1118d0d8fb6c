#pragma once

#include <cstddef>
#include <memory>
#include <utility>

namespace vigil::models {

// A fixed-capacity FIFO over one contiguous allocation: push() overwrites the oldest element
// once full. Index 0 is the oldest element, size()-1 the newest. Memory is allocated once, up
// front, so a day of samples costs at most capacity * sizeof(T) and never fragments.
// The storage is default-initialised (new T[n]: no zero-fill for float or qint64), and only
// elements that were pushed are ever read: a large ring is mapped, not touched, so its pages
// become resident as samples arrive (a 24 h ring of 1 s samples fills one 4 KiB page of floats
// every ~17 minutes). Zero-filling them up front cost 51 ms of UI thread at a 30-cluster wall's
// start and all of their RSS from the first second (tests/bench/bench_wall.sh, perf).
// Not thread-safe; used on the UI thread.
template <typename T> class RingBuffer
{
public:
    explicit RingBuffer(std::size_t capacity = 0)
        : m_data(capacity > 0 ? new T[capacity] : nullptr)
        , m_capacity(capacity)
    {
    }
    RingBuffer(const RingBuffer &other)
        : RingBuffer(other.m_capacity)
    {
        for (std::size_t i = 0; i < other.m_size; ++i)
            push(other[i]);
    }
    RingBuffer &operator=(const RingBuffer &other)
    {
        if (this != &other)
            *this = RingBuffer(other);
        return *this;
    }
    RingBuffer(RingBuffer &&other) noexcept
        : m_data(std::move(other.m_data))
        , m_capacity(std::exchange(other.m_capacity, 0))
        , m_start(std::exchange(other.m_start, 0))
        , m_size(std::exchange(other.m_size, 0))
    {
    }
    RingBuffer &operator=(RingBuffer &&other) noexcept
    {
        m_data = std::move(other.m_data);
        m_capacity = std::exchange(other.m_capacity, 0);
        m_start = std::exchange(other.m_start, 0);
        m_size = std::exchange(other.m_size, 0);
        return *this;
    }

    std::size_t capacity() const { return m_capacity; }
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    bool full() const { return m_size == m_capacity; }

    void push(T value)
    {
        if (m_capacity == 0)
            return;
        m_data[(m_start + m_size) % m_capacity] = std::move(value);
        if (m_size < m_capacity)
            ++m_size;
        else
            m_start = (m_start + 1) % m_capacity;
    }

    const T &operator[](std::size_t i) const { return m_data[(m_start + i) % m_capacity]; }
    T &operator[](std::size_t i) { return m_data[(m_start + i) % m_capacity]; }
    const T &front() const { return (*this)[0]; }
    const T &back() const { return (*this)[m_size - 1]; }

    // Raw storage for hot loops: element i lives at data()[physical(i)]; walk on with wrap() rather
    // than a modulo per element.
    const T *data() const { return m_data.get(); }
    std::size_t physical(std::size_t i) const { return (m_start + i) % m_capacity; }
    std::size_t wrap(std::size_t physicalIndex) const
    {
        return physicalIndex + 1 == m_capacity ? 0 : physicalIndex + 1;
    }

    void clear()
    {
        m_start = 0;
        m_size = 0;
    }

    // The elements in order as (at most) two contiguous ranges [first.first, first.second) then
    // [second.first, second.second): lets hot loops run over plain arrays without a modulo.
    using Span = std::pair<const T *, const T *>;
    std::pair<Span, Span> spans() const
    {
        const T *base = m_data.get();
        const std::size_t cap = m_capacity;
        if (m_start + m_size <= cap)
            return {{base + m_start, base + m_start + m_size}, {base, base}};
        return {{base + m_start, base + cap}, {base, base + (m_start + m_size - cap)}};
    }

private:
    std::unique_ptr<T[]> m_data;
    std::size_t m_capacity = 0;
    std::size_t m_start = 0;
    std::size_t m_size = 0;
};

} // namespace vigil::models
